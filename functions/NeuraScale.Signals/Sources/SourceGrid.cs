namespace NeuraScale.Signals.Sources;

/// <summary>
/// The source space: points of a cubic grid (default 10 mm spacing) inside the brain region of the sphere
/// (radius ≤ 80 % of the head radius) and above z = −20 mm, where scalp EEG has sensitivity.
/// </summary>
public static class SourceGrid
{
    public static Vector3[] Build(SphereHeadModel head, double spacingM = 0.01, double brainFraction = 0.8, double lowestZM = -0.02)
    {
        ArgumentNullException.ThrowIfNull(head);
        var limit = head.RadiusM * brainFraction;
        var steps = (int)Math.Floor(limit / spacingM);
        var points = new List<Vector3>();
        for (var i = -steps; i <= steps; i++)
        {
            for (var j = -steps; j <= steps; j++)
            {
                for (var k = -steps; k <= steps; k++)
                {
                    var p = new Vector3(i * spacingM, j * spacingM, k * spacingM);
                    if (p.Length <= limit + 1e-12 && p.Z >= lowestZM - 1e-12)
                    {
                        points.Add(p);
                    }
                }
            }
        }

        return points.ToArray();
    }
}

namespace NeuraScale.Signals.Sources;

/// <summary>A point or direction in head coordinates: x to the right ear, y to the nose, z up (RAS, as MNE), metres.</summary>
public readonly record struct Vector3(double X, double Y, double Z)
{
    public double Length => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));

    public static Vector3 operator +(Vector3 a, Vector3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vector3 operator -(Vector3 a, Vector3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vector3 operator *(double s, Vector3 a) => new(s * a.X, s * a.Y, s * a.Z);

    public static double Dot(Vector3 a, Vector3 b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    public Vector3 Normalized() => (1 / Length) * this;
}

/// <summary>
/// Standard 10-20 / 10-10 electrode positions on a spherical head, from their spherical angles in the BESA
/// convention (θ: angle from the vertex Cz, negative on the left; φ: azimuth from the T7–T8 line towards the nose on
/// the right and towards the back on the left). Positions are unit vectors; scale by the head radius.
/// </summary>
public static class ElectrodePositions
{
    private static readonly Dictionary<string, (double Theta, double Phi)> Angles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Fp1"] = (-92, -72), ["Fpz"] = (92, 90), ["Fp2"] = (92, 72),
        ["AF7"] = (-92, -54), ["AF3"] = (-74, -65), ["AFz"] = (69, 90), ["AF4"] = (74, 65), ["AF8"] = (92, 54),
        ["F7"] = (-92, -36), ["F5"] = (-75, -41), ["F3"] = (-60, -51), ["F1"] = (-50, -68), ["Fz"] = (46, 90),
        ["F2"] = (50, 68), ["F4"] = (60, 51), ["F6"] = (75, 41), ["F8"] = (92, 36),
        ["FT9"] = (-115, -18), ["FT7"] = (-92, -18), ["FC5"] = (-72, -21), ["FC3"] = (-50, -28), ["FC1"] = (-32, -45), ["FCz"] = (23, 90),
        ["FC2"] = (32, 45), ["FC4"] = (50, 28), ["FC6"] = (72, 21), ["FT8"] = (92, 18), ["FT10"] = (115, 18),
        ["T7"] = (-92, 0), ["C5"] = (-69, 0), ["C3"] = (-46, 0), ["C1"] = (-23, 0), ["Cz"] = (0, 0),
        ["C2"] = (23, 0), ["C4"] = (46, 0), ["C6"] = (69, 0), ["T8"] = (92, 0),
        ["TP9"] = (-115, 18), ["TP7"] = (-92, 18), ["CP5"] = (-72, 21), ["CP3"] = (-50, 28), ["CP1"] = (-32, 45), ["CPz"] = (23, -90),
        ["CP2"] = (32, -45), ["CP4"] = (50, -28), ["CP6"] = (72, -21), ["TP8"] = (92, -18), ["TP10"] = (115, -18),
        ["P7"] = (-92, 36), ["P5"] = (-75, 41), ["P3"] = (-60, 51), ["P1"] = (-50, 68), ["Pz"] = (46, -90),
        ["P2"] = (50, -68), ["P4"] = (60, -51), ["P6"] = (75, -41), ["P8"] = (92, -36),
        ["PO7"] = (-92, 54), ["PO3"] = (-74, 65), ["POz"] = (69, -90), ["PO4"] = (74, -65), ["PO8"] = (92, -54),
        ["O1"] = (-92, 72), ["Oz"] = (92, -90), ["O2"] = (92, -72),
        // Older names of the same sites.
        ["T3"] = (-92, 0), ["T4"] = (92, 0), ["T5"] = (-92, 36), ["T6"] = (92, -36),
    };

    /// <summary>The unit-sphere position of a standard electrode label, or null when the label is not a known site.</summary>
    public static Vector3? Find(string label)
    {
        if (!Angles.TryGetValue(label.Trim(), out var a))
        {
            return null;
        }

        var theta = a.Theta * Math.PI / 180;
        var phi = a.Phi * Math.PI / 180;
        return new Vector3(Math.Sin(theta) * Math.Cos(phi), Math.Sin(theta) * Math.Sin(phi), Math.Cos(theta));
    }
}

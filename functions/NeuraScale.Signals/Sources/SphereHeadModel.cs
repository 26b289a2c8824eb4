namespace NeuraScale.Signals.Sources;

/// <summary>
/// A homogeneous conducting sphere: the classic analytic EEG forward model. The potential at a surface electrode r
/// of a current dipole q at R (Kavanagh et al. 1978; Lütkenhöner 1992, eq. A.17):
/// <code>
/// V = q · [ (R·(r/|r| − d/|d|) / |r×R|² + 2/|d|³) · (|R|² r − (r·R) R) + ((|r|² − |R|²)/|d|³ − 1/|r|) · R ] / (4πσ|R|²),  d = r − R
/// </code>
/// and, for a dipole at the centre, three times the infinite-medium potential: V = 3 q·r / (4πσ|r|³).
/// </summary>
/// <param name="RadiusM">Sphere (scalp) radius, metres; 0.09 by default.</param>
/// <param name="ConductivitySPerM">Conductivity, S/m; 0.33 (brain/scalp) by default.</param>
public sealed record SphereHeadModel(double RadiusM = 0.09, double ConductivitySPerM = 0.33)
{
    /// <summary>Potentials at <paramref name="electrodes"/> (unit vectors, scaled to the radius) of a unit dipole at <paramref name="source"/>, one 3-vector (x, y, z moment) per electrode.</summary>
    /// <exception cref="ArgumentException">The source is not inside the sphere.</exception>
    public Vector3[] LeadField(IReadOnlyList<Vector3> electrodes, Vector3 source)
    {
        var c0 = source.Length;
        if (c0 >= RadiusM)
        {
            throw new ArgumentException($"The source ({c0 * 1000:0.#} mm from the centre) must lie inside the {RadiusM * 1000:0.#} mm sphere.", nameof(source));
        }

        var field = new Vector3[electrodes.Count];
        for (var i = 0; i < electrodes.Count; i++)
        {
            var r = RadiusM * electrodes[i].Normalized();
            if (c0 == 0)
            {
                field[i] = (3 / (4 * Math.PI * ConductivitySPerM * RadiusM * RadiusM * RadiusM)) * r;
                continue;
            }

            var d = r - source;
            var dn = d.Length;
            var rDotR = Vector3.Dot(r, source);
            var cross2 = (RadiusM * RadiusM * c0 * c0) - (rDotR * rDotR);     // |r × R|²
            var tangential = (c0 * c0 * r) - (rDotR * source);                 // R × (r × R)
            var first = 2 / (dn * dn * dn);
            if (cross2 > 1e-18)
            {
                first += Vector3.Dot(source, ((1 / RadiusM) * r) - ((1 / dn) * d)) / cross2;
            }

            var second = (((RadiusM * RadiusM) - (c0 * c0)) / (dn * dn * dn)) - (1 / RadiusM);
            field[i] = (1 / (4 * Math.PI * ConductivitySPerM * c0 * c0)) * ((first * tangential) + (second * source));
        }

        return field;
    }
}

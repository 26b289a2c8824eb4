using NeuraScale.Signals.Sources;

namespace NeuraScale.Tests.Unit;

/// <summary>
/// The sphere forward model's physics, and a simulation: a dipole placed in the head, projected to the 19 standard
/// 10-20 electrodes with 5 % sensor noise, is recovered by the inverse within a stated distance.
/// </summary>
public sealed class SourceLocalizationTests
{
    private static readonly string[] TenTwenty = ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4", "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "O2"];
    private static readonly SphereHeadModel Head = new();
    private static readonly Vector3[] Electrodes = TenTwenty.Select(n => ElectrodePositions.Find(n)!.Value).ToArray();

    [Fact]
    public void LeadField_DipoleAtTheCentre_IsThreeTimesTheInfiniteMediumPotential_AndContinuousNearIt()
    {
        var centre = Head.LeadField(Electrodes, new Vector3(0, 0, 0));
        var near = Head.LeadField(Electrodes, new Vector3(1e-4, -1e-4, 1e-4)); // 0.17 mm off centre
        for (var e = 0; e < Electrodes.Length; e++)
        {
            var r = Head.RadiusM * Electrodes[e];
            var infinite = 1 / (4 * Math.PI * Head.ConductivitySPerM * Math.Pow(Head.RadiusM, 3));
            Assert.Equal(3 * infinite * r.Z, centre[e].Z, 1e-9 * infinite);
            // Moving the dipole by 0.2 % of the radius changes the potentials by a comparable fraction, no more.
            var largest = 3 * infinite * Head.RadiusM;
            Assert.Equal(centre[e].X, near[e].X, 0.01 * largest);
            Assert.Equal(centre[e].Z, near[e].Z, 0.01 * largest);
        }
    }

    [Fact]
    public void LeadField_RadialDipoleUnderCz_IsLargestAtCz_AndSymmetricLeftRight()
    {
        var field = Head.LeadField(Electrodes, new Vector3(0, 0, 0.06));
        var z = field.Select(f => f.Z).ToArray();
        Assert.Equal("Cz", TenTwenty[Array.IndexOf(z, z.Max())]);
        Assert.Equal(z[Array.IndexOf(TenTwenty, "C3")], z[Array.IndexOf(TenTwenty, "C4")], 1e-12 * z.Max());
        Assert.Equal(z[Array.IndexOf(TenTwenty, "O1")], z[Array.IndexOf(TenTwenty, "O2")], 1e-12 * z.Max());
    }

    [Fact]
    public void ElectrodePositions_UnknownLabel_IsNull_AndKnownOnesAreUnitVectors()
    {
        Assert.Null(ElectrodePositions.Find("EXG1"));
        Assert.All(Electrodes, e => Assert.Equal(1.0, e.Length, 1e-12));
        Assert.True(ElectrodePositions.Find("Fpz")!.Value.Y > 0.99);
        Assert.True(ElectrodePositions.Find("T7")!.Value.X < -0.99);
    }

    public static TheoryData<double, double, double, double, double, double> Dipoles => new()
    {
        // position (mm) and orientation
        { 0, -35, 45, 0, -0.3, 1 },       // parietal midline, mostly radial (a P300-like source)
        { -35, 10, 40, -1, 0, 0.6 },      // left fronto-central
        { 30, -50, 25, 0.5, -0.5, 0.7 },  // right parieto-occipital
        { 5, 25, 55, 0, 1, 0.2 },         // frontal midline, tangential
    };

    [Theory]
    [MemberData(nameof(Dipoles))]
    public void SimulatedDipole_IsRecoveredBySloreta_Within15mm(double x, double y, double z, double qx, double qy, double qz)
    {
        var grid = SourceGrid.Build(Head);
        var inverse = new MinimumNormInverse(Head, Electrodes, grid);
        var truth = new Vector3(x / 1000, y / 1000, z / 1000);
        var moment = new Vector3(qx, qy, qz).Normalized();
        var potentials = Head.LeadField(Electrodes, truth).Select(f => Vector3.Dot(f, moment) * 10e-9).ToArray(); // 10 nA·m
        var rms = Math.Sqrt(potentials.Average(v => v * v));
        var rng = new Random(7);
        var noisy = potentials.Select(v => v + (0.05 * rms * Gaussian(rng))).ToArray();

        var sloreta = Error(inverse, grid, noisy, truth, InverseMethod.SLoreta);
        var mne = Error(inverse, grid, noisy, truth, InverseMethod.MinimumNorm);
        TestContext.Current.TestOutputHelper?.WriteLine(FormattableString.Invariant($"dipole ({x}, {y}, {z}) mm: sLORETA error {sloreta:0.0} mm, MNE error {mne:0.0} mm, {grid.Length} sources"));
        Assert.True(sloreta <= 15, FormattableString.Invariant($"sLORETA put the peak {sloreta:0.0} mm from the dipole"));
        Assert.True(mne <= 45, FormattableString.Invariant($"MNE put the peak {mne:0.0} mm from the dipole"));
    }

    [Fact]
    public void NoiseNormalisedEstimates_AreAboutOneForNoise_AndScaleWithTheSignalToNoiseRatio()
    {
        var grid = SourceGrid.Build(Head);
        var inverse = new MinimumNormInverse(Head, Electrodes, grid);
        const double Sigma = 2e-6; // 2 µV sensor noise
        var rng = new Random(11);

        // Noise alone: dSPM is |Ĵ| over the SD noise gives it, so about 1 (the mean over many noise draws and sources).
        var dspmNoise = Enumerable.Range(0, 200).SelectMany(_ => inverse.Apply(Electrodes.Select(_ => Sigma * Gaussian(rng)).ToArray(), InverseMethod.Dspm, Sigma)).ToArray();
        var meanSquare = dspmNoise.Average(v => v * v);
        Assert.InRange(meanSquare, 0.7, 1.3);

        // A dipole 10× the noise: the peak stands out by about that factor; the units do not depend on volts.
        var truth = new Vector3(0, -0.035, 0.045);
        var potentials = Head.LeadField(Electrodes, truth).Select(f => f.Z).ToArray();
        var rms = Math.Sqrt(potentials.Average(v => v * v));
        var scaled = potentials.Select(v => v * 10 * Sigma / rms).ToArray();
        var dspm = inverse.Apply(scaled, InverseMethod.Dspm, Sigma).Max();
        var sloreta = inverse.Apply(scaled, InverseMethod.SLoreta, Sigma).Max();
        Assert.InRange(dspm, 5, 40);
        Assert.InRange(sloreta, 1, 80);
        Assert.Equal(sloreta, inverse.Apply(scaled.Select(v => v * 1e6).ToArray(), InverseMethod.SLoreta, Sigma * 1e6).Max(), 1e-9 * sloreta);
        TestContext.Current.TestOutputHelper?.WriteLine(FormattableString.Invariant($"noise: dSPM mean square {meanSquare:0.00}; dipole at 10× noise: dSPM peak {dspm:0.0}, sLORETA peak {sloreta:0.0}"));
    }

    private static double Error(MinimumNormInverse inverse, Vector3[] grid, double[] potentials, Vector3 truth, InverseMethod method)
    {
        var values = inverse.Apply(potentials, method);
        var peak = grid[Array.IndexOf(values, values.Max())];
        return (peak - truth).Length * 1000;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

using NeuraScale.Signals.Spectral;

namespace NeuraScale.Tests.Interop;

/// <summary>Welch PSD and band powers against scipy.signal.welch and numpy.trapz on the same input.</summary>
public sealed class WelchInteropTests : IDisposable
{
    private const double Tolerance = 1e-6;
    private readonly string _dir = Directory.CreateTempSubdirectory("welch-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly (double Fs, int NPerSeg, int NOverlap, string Scaling)[] Cases =
    [
        (250, 256, 128, "density"),
        (250, 500, 250, "density"),
        (1000, 1001, 500, "spectrum"),
        (160, 320, 0, "density"),
        (512, 512, 384, "spectrum"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Psd_And_BandPowers_EqualScipy(bool simulated)
    {
        var rng = new Random(11);
        // Shared random input, or 40 s of the simulator's O1 (1/f background, alpha, line noise, blinks).
        var amp = new NeuraScale.Amplifiers.Simulation.SimulatedAmplifier(new NeuraScale.Amplifiers.Simulation.SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 5 });
        var x = simulated
            ? Enumerable.Range(0, 10_007).Select(i => amp.Sample(6, i)).ToArray()
            : Enumerable.Range(0, 10_007)
                .Select(i => (30 * (rng.NextDouble() - 0.5)) + (25 * Math.Sin(2 * Math.PI * 10.3 * i / 250)) + (8 * Math.Sin(i * 0.9)) + 5)
                .ToArray();
        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, x);
        var bands = FrequencyBand.Standard.Select(b => new[] { b.LowHz, b.HighHz }).ToArray();
        var cases = Cases.Select((c, i) => new
        {
            fs = c.Fs, nperseg = c.NPerSeg, noverlap = c.NOverlap, scaling = c.Scaling, psd = Path.Combine(_dir, $"{i}.f64"), bands,
        }).ToArray();

        var reference = PythonReference.Run("welch_scipy.py", new { input, cases });

        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var label = $"welch(fs={c.Fs}, nperseg={c.NPerSeg}, noverlap={c.NOverlap}, scaling={c.Scaling})";
            var expected = PythonReference.ReadFloat64(cases[i].psd);
            var psd = new double[Welch.BinCount(c.NPerSeg)];
            Welch.Psd(x, c.Fs, c.NPerSeg, c.NOverlap, c.Scaling == "density" ? PsdScaling.Density : PsdScaling.Spectrum, psd);

            Assert.Equal(expected.Length, psd.Length);
            var scale = expected.Max();
            Deviations.Record("welch", expected.Select((e, k) => Math.Abs(e - psd[k])).Max(), scale);
            for (var k = 0; k < psd.Length; k++)
            {
                Assert.True(Math.Abs(psd[k] - expected[k]) <= Tolerance * scale, $"{label}: bin {k} is {psd[k]:R}, SciPy {expected[k]:R}");
            }

            var freqs = Welch.Frequencies(c.NPerSeg, c.Fs);
            var expectedBands = reference.GetProperty("cases")[i].GetProperty("band_powers").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (var b = 0; b < bands.Length; b++)
            {
                var ours = SpectralMeasures.BandPower(freqs, psd, bands[b][0], bands[b][1]);
                Deviations.Record("band power", Math.Abs(ours - expectedBands[b]), Math.Abs(expectedBands[b]));
                Assert.True(Math.Abs(ours - expectedBands[b]) <= Tolerance * Math.Abs(expectedBands[b]), $"{label}: band {b} power {ours:R}, numpy.trapz {expectedBands[b]:R}");
            }
        }
    }
}

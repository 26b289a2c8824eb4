using NeuraScale.Signals.TimeFrequency;

namespace NeuraScale.Tests.Interop;

/// <summary>Morlet time-frequency power and its baseline modes against MNE-Python on the same epochs.</summary>
public sealed class TfrInteropTests : IDisposable
{
    private const double Tolerance = 1e-8;
    private readonly string _dir = Directory.CreateTempSubdirectory("tfr-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<double, double[], double[], int> Cases => new()
    {
        { 250, [6, 8, 10, 12, 15, 20, 30, 40], [7.0], 1 },
        { 250, [5, 10, 20, 40], [2.5, 5, 10, 20], 3 },
        { 160, [8, 9, 10, 11, 12, 13], [4.0], 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePower_AndBaselineModes_EqualMne(double fs, double[] freqs, double[] cycles, int decim)
    {
        const int epochs = 6, channels = 3;
        const double tmin = -0.5;
        var samples = (int)(2.5 * fs);
        var rng = new Random(decim * 31);
        var data = Enumerable.Range(0, epochs).Select(e => Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, samples)
            .Select(i => (10 * (rng.NextDouble() - 0.5)) + ((c + 1) * 8 * Math.Sin(2 * Math.PI * 10 * i / fs) * (i > fs * 1.2 ? 2 : 1))).ToArray()).ToArray()).ToArray();
        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, data.SelectMany(e => e.SelectMany(c => c)).ToArray());
        var powerOut = Path.Combine(_dir, "power.f64");
        var modes = new Dictionary<string, BaselineMode>
        {
            ["mean"] = BaselineMode.Mean, ["ratio"] = BaselineMode.Ratio, ["logratio"] = BaselineMode.LogRatio, ["percent"] = BaselineMode.Percent, ["zscore"] = BaselineMode.ZScore,
        };
        var baselines = modes.Keys.ToDictionary(m => m, m => Path.Combine(_dir, m + ".f64"));
        double[] baseline = [-0.4, 0.0];
        PythonReference.Run("tfr_mne.py", new
        {
            input, epochs, channels, fs, freqs, n_cycles = cycles, decim, power_out = powerOut, tmin, baseline, baselines,
        });

        var power = MorletTransform.AveragePower(data, MorletTransform.Wavelets(fs, freqs, cycles), decim);
        AssertClose(PythonReference.ReadFloat64(powerOut), Flatten(power), "power");

        var times = Enumerable.Range(0, samples).Where(i => i % decim == 0).Select(i => (i / fs) + tmin).ToArray();
        foreach (var (name, mode) in modes)
        {
            var rescaled = power.Select(c => c.Select(row =>
            {
                var copy = (double[])row.Clone();
                Baseline.Apply(copy, times, baseline[0], baseline[1], mode);
                return copy;
            }).ToArray()).ToArray();
            AssertClose(PythonReference.ReadFloat64(baselines[name]), Flatten(rescaled), "baseline " + name);
        }
    }

    private static double[] Flatten(double[][][] x) => x.SelectMany(c => c.SelectMany(f => f)).ToArray();

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, MNE has {expected.Length}");
        var scale = expected.Max(Math.Abs);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Deviations.Record("tfr_array_morlet " + what, worst, scale);
        Assert.True(worst <= Tolerance * scale, $"{what}: largest difference {worst:E2} (largest value {scale:G4})");
    }
}

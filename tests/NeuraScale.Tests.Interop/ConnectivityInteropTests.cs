using NeuraScale.Signals.Connectivity;

namespace NeuraScale.Tests.Interop;

/// <summary>Coherence against scipy.signal.coherence, and PLV/wPLI against their definitions in NumPy, on the same data.</summary>
public sealed class ConnectivityInteropTests : IDisposable
{
    private const double Tolerance = 1e-9;
    private readonly string _dir = Directory.CreateTempSubdirectory("connectivity-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(250, 500, 250)]
    [InlineData(160, 257, 100)]
    public void Coherence_Plv_Wpli_EqualReferences(double fs, int nperseg, int noverlap)
    {
        const int channels = 4, epochs = 12;
        var rng = new Random(nperseg);
        // A shared 10 Hz source with channel-specific lags and independent noise: coupling with a phase lag.
        var continuous = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, (int)(40 * fs))
            .Select(i => (20 * Math.Sin((2 * Math.PI * 10 * i / fs) + (0.4 * c))) + (15 * (rng.NextDouble() - 0.5)) + c).ToArray()).ToArray();
        var length = (int)(fs * 1.5);
        var epochData = Enumerable.Range(0, epochs).Select(e => continuous.Select(row => row.AsSpan(e * length, length).ToArray()).ToArray()).ToArray();

        var paths = new
        {
            continuous = Path.Combine(_dir, "x.f64"), epochs = Path.Combine(_dir, "e.f64"),
            coherence_out = Path.Combine(_dir, "coh.f64"), plv_out = Path.Combine(_dir, "plv.f64"), wpli_out = Path.Combine(_dir, "wpli.f64"),
        };
        PythonReference.WriteFloat64(paths.continuous, continuous.SelectMany(r => r).ToArray());
        PythonReference.WriteFloat64(paths.epochs, epochData.SelectMany(e => e.SelectMany(r => r)).ToArray());
        PythonReference.Run("connectivity_scipy.py", new
        {
            channels, fs, nperseg, noverlap, n_epochs = epochs, paths.continuous, paths.epochs, paths.coherence_out, paths.plv_out, paths.wpli_out,
        });

        AssertClose(PythonReference.ReadFloat64(paths.coherence_out), Flatten(Coherence.AllPairs(continuous, nperseg, noverlap)), "coherence");
        var (plv, wpli) = PhaseSynchrony.AllPairs(epochData);
        AssertClose(PythonReference.ReadFloat64(paths.plv_out), Flatten(plv), "PLV");
        AssertClose(PythonReference.ReadFloat64(paths.wpli_out), Flatten(wpli), "wPLI");
    }

    private static double[] Flatten(double[][][] x) => x.SelectMany(i => i.SelectMany(j => j)).ToArray();

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, reference has {expected.Length}");
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Deviations.Record(what, worst, 1);
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E2} (values are 0–1)");
    }
}

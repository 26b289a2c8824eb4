using NeuraScale.Signals.Epochs;

namespace NeuraScale.Tests.Interop;

/// <summary>Epoching, evoked averages, standard errors and peaks against MNE-Python's Epochs/Evoked on the same arrays.</summary>
public sealed class EpochsInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("epochs-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<double, double, double, double[]?, double?, string> Cases => new()
    {
        { 250, -0.2, 0.8, [-0.2, 0.0], null, "abs" },
        { 250, -0.2, 0.8, [-0.2, 0.0], 120.0, "pos" },
        { 160, -0.1, 0.6, null, 150.0, "neg" },
        { 512, -0.25, 0.5, [-0.1, 0.0], 90.0, "abs" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EpochsAndEvoked_EqualMne(double fs, double tmin, double tmax, double[]? baseline, double? rejectUv, string mode)
    {
        const int channels = 5;
        var n = (int)(60 * fs);
        var rng = new Random((int)fs + (rejectUv is null ? 0 : 1));
        var data = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, n)
            .Select(i => (20 * (rng.NextDouble() - 0.5)) + (15 * Math.Sin((2 * Math.PI * 10 * i / fs) + c)) + (c * 3)).ToArray()).ToArray();
        // Events every ~0.9 s from the very start (so the first is dropped as out of bounds), with artefacts on some.
        var events = Enumerable.Range(0, 64).Select(k => (long)(k * 0.9 * fs) + rng.Next(0, 20)).Where(s => s < n).ToList();
        foreach (var k in new[] { 5, 17, 30 })
        {
            data[k % channels][(int)events[k] + (int)(0.1 * fs)] += 200;
        }

        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, data.SelectMany(r => r).ToArray());
        var outputs = new { epochs_out = Path.Combine(_dir, "epochs.f64"), evoked_out = Path.Combine(_dir, "evoked.f64"), stderr_out = Path.Combine(_dir, "stderr.f64") };
        var peakWindow = new[] { 0.05, tmax - 0.05 };
        var mne = PythonReference.Run("epochs_mne.py", new
        {
            input, channels, fs, events, tmin, tmax, baseline, reject_uv = rejectUv, peak = peakWindow, mode,
            outputs.epochs_out, outputs.evoked_out, outputs.stderr_out,
        });

        var names = Enumerable.Range(0, channels).Select(i => $"E{i}").ToArray();
        var set = Epoching.Extract(data, events, fs, new EpochSettings(tmin, tmax, baseline is null ? null : (baseline[0], baseline[1]), rejectUv), names);

        Assert.Equal(mne.GetProperty("selection").EnumerateArray().Select(e => e.GetInt32()), set.Kept);
        Assert.Contains(set.Dropped, d => d.Reason.Contains("beyond the recorded data", StringComparison.Ordinal));
        var mneTimes = mne.GetProperty("times").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(mneTimes.Length, set.Times.Length);
        Assert.All(mneTimes.Zip(set.Times), p => Assert.Equal(p.First, p.Second, 1e-12));

        AssertClose(PythonReference.ReadFloat64(outputs.epochs_out), set.Data.SelectMany(e => e.SelectMany(c => c)).ToArray(), "epochs");
        var evoked = Evoked.Average(set.Data);
        AssertClose(PythonReference.ReadFloat64(outputs.evoked_out), evoked.SelectMany(c => c).ToArray(), "evoked");
        AssertClose(PythonReference.ReadFloat64(outputs.stderr_out), Evoked.StandardError(set.Data).SelectMany(c => c).ToArray(), "standard error");

        // get_peak over all channels: the channel whose own peak is largest.
        var peakMode = Enum.Parse<PeakMode>(mode, ignoreCase: true);
        var peaks = evoked.Select(row => Evoked.PeakIndex(row, set.Times, peakWindow[0], peakWindow[1], peakMode)).ToArray();
        var best = Enumerable.Range(0, channels).MaxBy(c => Score(evoked[c][peaks[c]], peakMode));
        Assert.Equal(mne.GetProperty("peak_channel").GetString(), names[best]);
        Assert.Equal(mne.GetProperty("peak_latency").GetDouble(), set.Times[peaks[best]], 1e-9);
        Assert.Equal(mne.GetProperty("peak_amplitude_uv").GetDouble(), evoked[best][peaks[best]], 1e-6);
    }

    private static double Score(double value, PeakMode mode) => mode switch { PeakMode.Abs => Math.Abs(value), PeakMode.Pos => value, _ => -value };

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, MNE has {expected.Length}");
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).DefaultIfEmpty(0).Max();
        Deviations.Record("mne " + what, worst, expected.Max(Math.Abs));
        Assert.True(worst <= 1e-9 * Math.Max(1, expected.Max(Math.Abs)), $"{what}: largest difference {worst:E2} µV");
    }
}

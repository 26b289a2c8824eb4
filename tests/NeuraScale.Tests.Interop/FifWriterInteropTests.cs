using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Fif;

namespace NeuraScale.Tests.Interop;

/// <summary>Raw FIF written by <see cref="FifRawWriter"/>, opened by mne.io.read_raw_fif with no options, compared with the source.</summary>
public sealed class FifWriterInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fif-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RawFif_ReadByMne_EqualsTheSource_WithTypesRateDateAndAnnotations()
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 31 });
        const int n = 2_600; // 10.4 s: ten full buffers and a short one
        var data = Enumerable.Range(0, 8).Select(c => Enumerable.Range(0, n).Select(i => (float)amp.Sample(c, i)).ToArray()).ToArray();
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var start = new DateTimeOffset(2026, 11, 25, 9, 30, 15, 250, TimeSpan.Zero);
        var annotations = new[] { (0.5, 0.0, "stimulus/target"), (2.0, 1.25, "bad: movement"), (9.75, 0.0, "stimulus/standard") };
        var spec = new FifFileSpec(names.Select(name => new FifChannelSpec(name)).ToArray(), 250, start, 0.1, 40, annotations);

        var path = Path.Combine(_dir, "export_raw.fif");
        await using (var file = File.Create(path))
        {
            var writer = await FifRawWriter.CreateAsync(file, spec, ct);
            for (var offset = 0; offset < n; offset += 333)
            {
                var take = Math.Min(333, n - offset);
                await writer.WriteAsync(data.Select(row => row.AsSpan(offset, take).ToArray()).ToArray(), take, ct);
            }

            await writer.CompleteAsync(cancellationToken: ct);
        }

        var output = Path.Combine(_dir, "mne.f64");
        var mne = PythonReference.Run("read_fif_mne.py", new { path, @out = output });

        Assert.Equal(names, mne.GetProperty("ch_names").EnumerateArray().Select(e => e.GetString()));
        Assert.All(mne.GetProperty("ch_types").EnumerateArray(), t => Assert.Equal("eeg", t.GetString()));
        Assert.Equal(250, mne.GetProperty("sfreq").GetDouble());
        Assert.Equal(n, mne.GetProperty("n_times").GetInt32());
        Assert.Equal(0.1, mne.GetProperty("highpass").GetDouble(), 1e-6);
        Assert.Equal(40, mne.GetProperty("lowpass").GetDouble(), 1e-6);
        Assert.Equal(start, DateTimeOffset.Parse(mne.GetProperty("meas_date").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Stored in µV with calibration 1e-6, itself a float32 (9.99999997e-7): MNE's volts are the source × that factor.
        var read = PythonReference.ReadFloat64(output);
        var worst = 0.0;
        for (var c = 0; c < 8; c++)
        {
            for (var i = 0; i < n; i++)
            {
                worst = Math.Max(worst, Math.Abs(read[(c * n) + i] - data[c][i]) / Math.Max(1e-3, Math.Abs(data[c][i])));
            }
        }

        Deviations.Record("fif via mne.io.read_raw_fif (relative)", worst, 1);
        Assert.True(worst <= 1e-8, $"largest relative difference {worst:E2}");

        var read_annotations = mne.GetProperty("annotations").EnumerateArray().ToArray();
        Assert.Equal(annotations.Select(a => a.Item3), read_annotations.Select(a => a.GetProperty("description").GetString()));
        Assert.Equal(annotations.Select(a => a.Item1), read_annotations.Select(a => Math.Round(a.GetProperty("onset").GetDouble(), 4)));
        Assert.Equal(annotations.Select(a => a.Item2), read_annotations.Select(a => Math.Round(a.GetProperty("duration").GetDouble(), 4)));
    }
}

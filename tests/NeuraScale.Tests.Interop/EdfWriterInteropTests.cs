using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Tests.Interop;

/// <summary>EDF+ written by <see cref="EdfWriter"/>, opened by MNE-Python's read_raw_edf with no options, compared with the source.</summary>
public sealed class EdfWriterInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edf-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(250.0, 12.3)]     // whole-Hz rate, 1 s records, a partial last record
    [InlineData(1000.0 / 3, 9.0)] // 333.3 Hz (after downsampling by 3): 3 s records
    public async Task EdfPlus_ReadByMne_EqualsTheSourceWithin16BitQuantisation(double rate, double seconds)
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 12, PoorContactChannels = ["O2"] });
        var n = (int)Math.Round(seconds * rate);
        var data = Enumerable.Range(0, 8).Select(c => Enumerable.Range(0, n).Select(i => amp.Sample(c, i)).ToArray()).ToArray();
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var start = new DateTime(2026, 11, 25, 9, 30, 15, DateTimeKind.Utc);
        var annotations = new List<EdfAnnotation> { new(0.5, 0, "stimulus/target"), new(3.25, 1.5, "contraction"), new(seconds - 0.1, 0, "Ünïcode note") };
        var spec = new EdfFileSpec(
            "psn_abcdefghijklmnop", "ses_abcdefghijklmnopqrst", "sim-eeg-01", start, rate, n,
            names.Select((name, c) => new EdfChannelSpec(name, "AgAgCl electrode", "uV", data[c].Min(), data[c].Max(), c == 0 ? "HP:1Hz LP:40Hz" : "")).ToArray(),
            annotations);

        var path = Path.Combine(_dir, "export.edf");
        await using (var file = File.Create(path))
        {
            var writer = await EdfWriter.CreateAsync(file, spec, ct);
            // In uneven pieces, as an exporter streaming chunks would.
            for (var offset = 0; offset < n; offset += 777)
            {
                var take = Math.Min(777, n - offset);
                await writer.WriteAsync(data.Select(row => row.AsSpan(offset, take).ToArray()).ToArray(), take, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var output = Path.Combine(_dir, "mne.f64");
        var mne = PythonReference.Run("read_export_edf_mne.py", new { path, @out = output });

        Assert.Equal(names, mne.GetProperty("ch_names").EnumerateArray().Select(e => e.GetString()));
        Assert.All(mne.GetProperty("ch_types").EnumerateArray(), t => Assert.Equal("eeg", t.GetString()));
        Assert.Equal(rate, mne.GetProperty("sfreq").GetDouble(), 1e-9);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T09:30:15+00:00", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(mne.GetProperty("meas_date").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var times = mne.GetProperty("n_times").GetInt32();
        Assert.InRange(times, n, n + EdfWriter.RecordLayout(rate).Samples - 1);

        var read = PythonReference.ReadFloat64(output);
        for (var c = 0; c < 8; c++)
        {
            // 16 bits over the channel's range: half a step of rounding, plus the range's outward rounding to 8 characters.
            var step = (data[c].Max() - data[c].Min()) / 65535;
            var worst = Enumerable.Range(0, n).Max(i => Math.Abs(read[(c * times) + i] - data[c][i]));
            Deviations.Record("edf+ via mne.io.read_raw_edf (in quantisation steps)", worst / step, 1);
            Assert.True(worst <= 0.51 * step * 1.001 + 1e-9, $"{names[c]}: largest error {worst:E3} µV, one 16-bit step is {step:E3} µV");
        }

        var read_annotations = mne.GetProperty("annotations").EnumerateArray().Select(a => (Onset: a.GetProperty("onset").GetDouble(), Duration: a.GetProperty("duration").GetDouble(), Text: a.GetProperty("description").GetString())).ToList();
        foreach (var a in annotations)
        {
            Assert.Contains(read_annotations, r => Math.Abs(r.Onset - a.OnsetSeconds) < 1e-6 && Math.Abs(r.Duration - a.DurationSeconds) < 1e-6 && r.Text == a.Text);
        }

        Assert.Contains(read_annotations, r => r.Text == "end of recording" && Math.Abs(r.Onset - (n / rate)) < 1e-6);
    }
}

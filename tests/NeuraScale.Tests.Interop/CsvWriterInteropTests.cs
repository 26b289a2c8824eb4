using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Csv;

namespace NeuraScale.Tests.Interop;

/// <summary>CSV written by <see cref="CsvSignalWriter"/>, read by pandas.read_csv with its defaults, equals the stored float32 samples.</summary>
public sealed class CsvWriterInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("csv-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Csv_ReadByPandas_EqualsTheStoredSamplesExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 6, SamplingRateHz = 250, Seed = 4 });
        const int n = 2_345;
        var data = Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, n).Select(i => (float)amp.Sample(c, i)).ToArray()).ToArray();
        var channels = amp.Device.Channels.Select(c => (c.Name, c.Unit)).ToArray();
        var events = new[] { (0.5, 0.0, "stimulus/target"), (2.0, 0.25, "note, with \"quotes\"") };

        var path = Path.Combine(_dir, "export.csv");
        var eventsPath = Path.Combine(_dir, "export.events.csv");
        await using (var text = new StreamWriter(path))
        {
            await using var writer = await CsvSignalWriter.CreateAsync(text, channels, 250, ct);
            for (var offset = 0; offset < n; offset += 1000)
            {
                var take = Math.Min(1000, n - offset);
                await writer.WriteAsync(data.Select(row => row.AsSpan(offset, take).ToArray()).ToArray(), take, ct);
            }

            await writer.FlushAsync(ct);
        }

        await using (var text = new StreamWriter(eventsPath))
        {
            await CsvSignalWriter.WriteEventsAsync(text, events, ct);
        }

        var output = Path.Combine(_dir, "pandas.f64");
        var pandas = PythonReference.Run("read_csv_pandas.py", new { path, events = eventsPath, @out = output });

        Assert.Equal(["time_s", .. channels.Select(c => $"{c.Name} ({c.Unit})")], pandas.GetProperty("columns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(n, pandas.GetProperty("rows").GetInt32());
        Assert.Equal(["float64"], pandas.GetProperty("dtypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((n - 1) / 250.0, pandas.GetProperty("time_last").GetDouble(), 1e-12);
        var read = PythonReference.ReadFloat64(output);
        for (var c = 0; c < 6; c++)
        {
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(data[c][i], (float)read[(c * n) + i]);
            }
        }

        Assert.Equal(events.Select(e => e.Item3), pandas.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("label").GetString()));
        Assert.Equal(events.Select(e => e.Item2), pandas.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("duration_s").GetDouble()));
    }
}

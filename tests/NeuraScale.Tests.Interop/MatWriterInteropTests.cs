using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Mat;

namespace NeuraScale.Tests.Interop;

/// <summary>MAT v5 written by <see cref="MatV5Writer"/>, read by scipy.io.loadmat, equals the stored samples exactly.</summary>
public sealed class MatWriterInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mat-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Mat_ReadByScipyLoadmat_EqualsTheStoredSamplesExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 5, SamplingRateHz = 500, Seed = 9 });
        const int n = 4_321;
        var data = Enumerable.Range(0, 5).Select(c => Enumerable.Range(0, n).Select(i => (float)amp.Sample(c, i)).ToArray()).ToArray();
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var events = new[] { (0.25, 0.0, "stimulus/target"), (1.5, 0.5, "contraction"), (7.75, 0.0, "stimulus/standard") };
        var spec = new MatFileSpec("recording", names, names.Select(_ => "uV").ToArray(), 500, n, "2026-11-25T09:30:15.0000000+00:00", "ses_abcdefghijklmnopqrst", events);

        var path = Path.Combine(_dir, "export.mat");
        await using (var file = File.Create(path))
        {
            var writer = await MatV5Writer.CreateAsync(file, spec, ct);
            for (var offset = 0; offset < n; offset += 1000)
            {
                var take = Math.Min(1000, n - offset);
                await writer.WriteAsync(data.Select(row => row.AsSpan(offset, take).ToArray()).ToArray(), take, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var output = Path.Combine(_dir, "scipy.f32");
        var scipy = PythonReference.Run("read_mat_scipy.py", new { path, variable = "recording", @out = output });

        Assert.Equal(["recording"], scipy.GetProperty("variables").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("float32", scipy.GetProperty("dtype").GetString());
        Assert.Equal([5, n], scipy.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(names, scipy.GetProperty("channel_names").EnumerateArray().Select(e => e.GetString()));
        Assert.All(scipy.GetProperty("units").EnumerateArray(), u => Assert.Equal("uV", u.GetString()));
        Assert.Equal(500, scipy.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal(spec.StartTime, scipy.GetProperty("start_time").GetString());
        Assert.Equal(spec.SessionId, scipy.GetProperty("session_id").GetString());
        Assert.Equal(events.Select(e => e.Item1), scipy.GetProperty("onsets").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(events.Select(e => e.Item2), scipy.GetProperty("durations").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(events.Select(e => e.Item3), scipy.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));

        var bytes = File.ReadAllBytes(output);
        var read = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, read, 0, bytes.Length);
        for (var c = 0; c < 5; c++)
        {
            Assert.Equal(data[c], read.AsSpan(c * n, n).ToArray());
        }
    }
}

using System.Text.Json;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// apply_filter through the MCP client on a stored recording long enough to be filtered in several blocks, against
/// SciPy on the same stored samples: the derived recording equals sosfiltfilt/sosfilt of the whole window, to the
/// float32 the chunk layout stores.
/// </summary>
public sealed class ApplyFilterInteropTests(AzuriteFixture azurite) : IDisposable
{
    private const int Rate = 250;
    private const int Seconds = 150; // three 60 s blocks: block seams and the backward pass are exercised
    private readonly string _dir = Directory.CreateTempSubdirectory("filter-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, Dictionary<string, object?>, object> Cases => new()
    {
        { "zero-phase band-pass, all channels", new() { ["filter_type"] = "bandpass", ["low_freq"] = 1.0, ["high_freq"] = 40.0 }, new { kind = "bandpass", order = 4, wn = new[] { 1.0, 40.0 }, zero_phase = true } },
        {
            "causal high-pass, two channels, a window",
            new() { ["filter_type"] = "highpass", ["low_freq"] = 0.5, ["order"] = 2, ["zero_phase"] = false, ["channels"] = new object[] { "C4", 0 }, ["start_time"] = 13.3, ["end_time"] = 141.7 },
            new { kind = "highpass", order = 2, wn = 0.5, zero_phase = false }
        },
        {
            "zero-phase notch with harmonics",
            new() { ["filter_type"] = "notch", ["notch_freq"] = 50.0, ["harmonics"] = true, ["start_time"] = 1 },
            new { kind = "notch", freq = 50.0, q = 30.0, harmonics = true, zero_phase = true }
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ApplyFilter_DerivedRecording_EqualsScipyOnTheStoredSamples(string label, Dictionary<string, object?> arguments, object reference)
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(ct);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = Rate, Seed = 21, Speed = 10_000 });
        var source = await TestRecorder.RecordAsync(clients, amp, PatientPseudonym.New(), Seconds, ct);

        await using var server = await McpTestServer.StartAsync(storage, ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, await McpTestServer.CreateKeyAsync(storage, ["researcher"], cancellationToken: ct), ct);
        arguments["session_id"] = source.Id.Value;
        var result = await client.CallToolAsync("apply_filter", arguments, cancellationToken: ct);
        Assert.True(result.IsError != true, label + ": " + string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text)));
        var json = JsonSerializer.SerializeToElement(result.StructuredContent);

        var derived = (await new SessionCatalog(clients).GetAsync(SessionId.Parse(json.GetProperty("filtered_data_id").GetString()!), ct))!;
        var lineage = derived.Lineage!;
        Assert.Equal(source.Id, lineage.SourceSessionId);
        var reader = new SignalWindowReader(new SignalStore(clients));
        var input = await reader.ReadAsync(source, lineage.SourceFirstSample, checked((int)derived.SampleCount), lineage.SourceChannels, ct);
        var output = await reader.ReadAsync(derived, 0, checked((int)derived.SampleCount), Enumerable.Range(0, derived.Channels.Count).ToArray(), ct);

        var inputPath = Path.Combine(_dir, "x.f64");
        var outputPath = Path.Combine(_dir, "y.f64");
        PythonReference.WriteFloat64(inputPath, input.Data.SelectMany(row => row).ToArray());
        var args = JsonSerializer.SerializeToElement(reference).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        args["input"] = inputPath;
        args["out"] = outputPath;
        args["channels"] = input.Data.Length;
        args["fs"] = Rate;
        PythonReference.Run("filter_scipy.py", args);
        var expected = PythonReference.ReadFloat64(outputPath);

        var n = input.SampleCount;
        for (var c = 0; c < output.Data.Length; c++)
        {
            var row = expected.AsSpan(c * n, n).ToArray();
            var scale = row.Max(Math.Abs);
            var worst = row.Select((e, i) => Math.Abs(e - output.Data[c][i])).Max();
            Deviations.Record("apply_filter (stored float32) " + label, worst, scale);
            // The chunk layout stores float32: allow its rounding (2^-24 relative) of the largest value, nothing more.
            Assert.True(worst <= 1.2e-7 * scale, $"{label}, channel {derived.Channels[c].Name}: largest difference {worst:E2} µV vs SciPy (peak {scale:0.###} µV)");
        }

        Assert.Equal(input.Events.Select(e => e with { Sample = e.Sample - lineage.SourceFirstSample }), output.Events);
    }
}

using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The brief's full recording workflow with the official MCP client over HTTP and the edge relay as its own process:
/// list → connect → start a 10 s recording → query_sessions shows it → get_neural_data reads it — with the relay killed
/// (SIGKILL) mid-recording and restarted: the session completes with every sample exactly once, and a command sent
/// while the relay was down runs when it is back.
/// </summary>
public sealed class DeviceWorkflowTests(AzuriteFixture azurite)
{
    private const int Seconds = 10, Rate = 250, Channels = 8;
    private const string Device = "e2e-eeg-01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FullRecordingWorkflow_SurvivesARelayKilledMidRecording_WithNoSampleLostOrDuplicated()
    {
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["clinician", "technician"], cancellationToken: Ct);
        var spool = Directory.CreateTempSubdirectory("relay-serve-").FullName;
        await using var mcp = await McpTestServer.StartAsync(storage, Ct);
        await using var client = await McpTestServer.ConnectAsync(mcp.Endpoint, key, Ct);
        var patient = PatientPseudonym.New().Value;
        var catalog = new SessionCatalog(clients);

        var relay = StartRelay(storage, spool);
        try
        {
            await UntilAsync(async () => (await CallAsync(client, "list_devices", new())).GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("device_id").GetString() == Device), relay);
            Assert.Equal("succeeded", (await CallAsync(client, "connect_device", new() { ["device_id"] = Device })).GetProperty("state").GetString());
            var impedance = await CallAsync(client, "check_impedance", new() { ["device_id"] = Device });
            Assert.Equal(Channels, impedance.GetProperty("result").GetProperty("channels").GetArrayLength());
            var configured = (await CallAsync(client, "configure_device", new() { ["device_id"] = Device, ["line_frequency_hz"] = 50, ["gain"] = 5 })).GetProperty("result");
            Assert.Equal(50, configured.GetProperty("applied").GetProperty("line_frequency_hz").GetDouble());
            Assert.StartsWith("5 is not a gain this device offers", configured.GetProperty("refused").GetProperty("gain").GetString(), StringComparison.Ordinal);
            var quality = (await CallAsync(client, "monitor_signal_quality", new() { ["device_id"] = Device, ["duration_seconds"] = 2 })).GetProperty("result");
            Assert.Equal((0, 2 * Rate), (quality.GetProperty("first_sample").GetInt32(), quality.GetProperty("sample_count").GetInt32()));
            Assert.Equal(Channels, quality.GetProperty("channels").GetArrayLength());
            Assert.InRange(quality.GetProperty("score").GetInt32(), 0, 100);
            Assert.NotEqual(0, quality.GetProperty("recommendations").GetArrayLength());
            var started = await CallAsync(client, "start_recording", new() { ["device_id"] = Device, ["patient_id"] = patient, ["duration_seconds"] = Seconds, ["description"] = "e2e: resting EEG" });
            Assert.Equal("succeeded", started.GetProperty("state").GetString());
            var sessionId = SessionId.Parse(started.GetProperty("result").GetProperty("session_id").GetString()!);

            var listed = await CallAsync(client, "query_sessions", new() { ["patient_id"] = patient });
            Assert.Contains(listed.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("session_id").GetString() == sessionId.Value && s.GetProperty("status").GetString() == "recording");

            // Kill the relay (no clean-up) once a few seconds are in storage, then send a command while it is down.
            await UntilAsync(async () => (await catalog.GetAsync(sessionId, Ct))!.SampleCount >= 3 * Rate, relay);
            relay.Process.Kill(entireProcessTree: true);
            await relay.Process.WaitForExitAsync(Ct);
            var interrupted = (await catalog.GetAsync(sessionId, Ct))!;
            Assert.True(interrupted.Status == SessionStatus.Recording && interrupted.SampleCount < Seconds * Rate, "the recording finished before the kill; the test proves nothing");
            var whileDown = await CallAsync(client, "get_device_diagnostics", new() { ["device_id"] = Device, ["wait_seconds"] = 0 });
            Assert.Equal("queued", whileDown.GetProperty("state").GetString());

            relay.Dispose();
            relay = StartRelay(storage, spool);
            var ran = await UntilAsync(async () => await CallAsync(client, "get_command_status", new() { ["command_id"] = whileDown.GetProperty("command_id").GetString() }), s => s.GetProperty("state").GetString() is "succeeded" or "failed" or "expired", relay);
            Assert.Equal("succeeded", ran.GetProperty("state").GetString());

            var session = await UntilAsync(() => catalog.GetAsync(sessionId, Ct), s => s!.Status == SessionStatus.Completed, relay);
            Assert.Equal(Seconds * Rate, session!.SampleCount);
            var store = new SignalStore(clients);
            Assert.Equal(Enumerable.Range(0, Seconds).Select(i => (long)i), await store.ListChunkSequencesAsync(sessionId, Ct));
            var truth = new SimulatedAmplifier(Simulator());
            var window = await new SignalWindowReader(store).ReadAsync(session, 0, Seconds * Rate, Enumerable.Range(0, Channels).ToArray(), Ct);
            for (var c = 0; c < Channels; c++)
            {
                for (var i = 0; i < Seconds * Rate; i++)
                {
                    Assert.Equal((float)truth.Sample(c, i), (float)window.Data[c][i]);
                }
            }

            var data = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = sessionId.Value, ["channels"] = new[] { "Fp1" }, ["start_time"] = 0, ["end_time"] = Seconds }, cancellationToken: Ct);
            Assert.True(data.IsError != true, Text(data));
        }
        finally
        {
            relay.Dispose();
        }
    }

    private static SimulatorOptions Simulator() => new() { DeviceId = Device, ChannelCount = Channels, SamplingRateHz = Rate, Seed = 99 };

    private static RelayProcess StartRelay(StorageOptions storage, string spool) => RelayProcess.Start(storage, ["serve", "--relay-id", "e2e-relay"], new Dictionary<string, string?>
    {
        ["NEURASCALE_Control__SpoolDirectory"] = spool,
        ["NEURASCALE_Control__HeartbeatSeconds"] = "1",
        ["NEURASCALE_Control__Devices__0__DeviceId"] = Device,
        ["NEURASCALE_Control__Devices__0__ChannelCount"] = Channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NEURASCALE_Control__Devices__0__SamplingRateHz"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NEURASCALE_Control__Devices__0__Seed"] = "99",
    });

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError != true || tool == "get_command_status", $"{tool}: {Text(result)}");
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static Task<bool> UntilAsync(Func<Task<bool>> condition, RelayProcess relay) => UntilAsync(condition, done => done, relay);

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, RelayProcess relay)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(relay.Process.HasExited, "the relay exited:\n" + relay.Output);
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(500, Ct); // the relay, its own process, getting there (polled within the rate limit)
        }

        throw new TimeoutException("Not reached within 60 s. Relay output:\n" + relay.Output);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

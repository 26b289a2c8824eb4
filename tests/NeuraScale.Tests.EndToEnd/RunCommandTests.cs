using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The README's run command as a user starts it (the built local host, its own Azurite): it announces the endpoint and
/// a key, its relay serves the simulated EEG, EMG and ECG and playbacks of two real EEGMMIDB recordings, and a real EEG is
/// checked and recorded into the catalog through the device tools.
/// </summary>
public sealed class RunCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLocalStack_ServesItsRelaysDevices_AndARealEegIsRecordedThroughTheTools()
    {
        var output = new StringBuilder();
        var announced = new TaskCompletionSource<(Uri Endpoint, string Key)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? endpoint = null;
        // Started as from a terminal: SIGINT at its default (a test host running in the background may ignore it, and
        // an ignored signal is inherited), so the Ctrl+C at the end reaches the stack as a user's would.
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("functions/NeuraScale.LocalHost", "NeuraScale.LocalHost"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--demo-seconds");
        start.ArgumentList.Add("5");
        using var stack = Process.Start(start)!;
        stack.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("MCP endpoint: ", StringComparison.Ordinal) == true)
            {
                endpoint = e.Data["MCP endpoint: ".Length..];
            }
            else if (e.Data?.StartsWith("API key: ", StringComparison.Ordinal) == true && endpoint is not null)
            {
                announced.TrySetResult((new Uri(endpoint), e.Data["API key: ".Length..]));
            }
        };
        stack.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        stack.BeginOutputReadLine();
        stack.BeginErrorReadLine();
        try
        {
            var (uri, key) = await announced.Task.WaitAsync(TimeSpan.FromMinutes(3), Ct);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/mcp$", uri.ToString());
            await using var client = await McpTestServer.ConnectAsync(uri, key, Ct);

            var devices = (await CallAsync(client, "list_devices", new())).GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device_id").GetString()).Order().ToArray();
            Assert.Equal(["local-ecg-01", "local-eeg-01", "local-emg-01", "local-playback-01", "local-playback-02", "local-playback-03"], devices);

            // The simulated EEG's cap has one electrode not seated: the impedance check names it.
            await CallAsync(client, "connect_device", new() { ["device_id"] = "local-eeg-01" });
            var impedance = (await CallAsync(client, "check_impedance", new() { ["device_id"] = "local-eeg-01" })).GetProperty("result");
            Assert.StartsWith("Poor contact at T8 (", impedance.GetProperty("recommendations")[0].GetString(), StringComparison.Ordinal);

            // The real EEG: its quality, then 2 s of it recorded and read back through the tools.
            await CallAsync(client, "connect_device", new() { ["device_id"] = "local-playback-01" });
            var quality = (await CallAsync(client, "monitor_signal_quality", new() { ["device_id"] = "local-playback-01", ["duration_seconds"] = 2 })).GetProperty("result");
            Assert.Equal((64, 60.0), (quality.GetProperty("channels").GetArrayLength(), quality.GetProperty("mains").GetProperty("configured_hz").GetDouble()));
            var started = (await CallAsync(client, "start_recording", new() { ["device_id"] = "local-playback-01", ["patient_id"] = "psn_aaaaaaaaaaaaaaaa", ["duration_seconds"] = 2, ["description"] = "EEGMMIDB S001R02 playback" })).GetProperty("result");
            var sessionId = started.GetProperty("session_id").GetString();
            JsonElement session = default;
            for (var i = 0; i < 100 && session.ValueKind == JsonValueKind.Undefined; i++)
            {
                var sessions = (await CallAsync(client, "query_sessions", new() { ["patient_id"] = "psn_aaaaaaaaaaaaaaaa" })).GetProperty("sessions").EnumerateArray();
                session = sessions.FirstOrDefault(s => s.GetProperty("session_id").GetString() == sessionId && s.GetProperty("status").GetString() == "completed");
                await Task.Delay(100, Ct); // the playback runs in real time
            }

            Assert.True(session.ValueKind == JsonValueKind.Object, "the recording did not complete:\n" + output);
            var data = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = sessionId, ["channels"] = new[] { "O1", "O2" }, ["start_time"] = 0, ["end_time"] = 2 }, cancellationToken: Ct);
            Assert.True(data.IsError != true, Text(data));

            // Ctrl+C: the stack stops within seconds — the live recording closed with its last partial chunk, exit 0.
            using (var interrupt = Process.Start("kill", ["-INT", stack.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(Ct);
            }

            using var grace = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            grace.CancelAfter(TimeSpan.FromSeconds(15));
            await stack.WaitForExitAsync(grace.Token);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            Assert.True(stack.ExitCode == 0, $"exit code {stack.ExitCode}:\n{log}");
            Assert.Contains("Stopping…", log, StringComparison.Ordinal);
            Assert.Matches(@"Session ses_[a-z2-7]{20} completed with \d+ samples per channel", log);
        }
        finally
        {
            if (!stack.HasExited)
            {
                stack.Kill(entireProcessTree: true); // and its Azurite
                await stack.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
        var element = JsonSerializer.SerializeToElement(result.StructuredContent);
        if (element.TryGetProperty("state", out var state) && element.TryGetProperty("command_id", out _))
        {
            Assert.True(state.GetString() == "succeeded", $"{tool}: {element}");
        }

        return element;
    }

    private static string Text(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Text.Json;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// Clients beyond the C# SDK, run as a user would run them against the server: the stdlib-only Python example
/// (examples/neurascale_client.py) with Debian's python3, and the MCP Inspector's CLI mode (pinned in package.json).
/// </summary>
public sealed class ClientsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Example => Path.Combine(RepositoryPaths.Root, "examples", "neurascale_client.py");

    [Fact]
    public async Task PythonStdlibClient_RunsTheBriefsExample_CallsTools_AndReportsErrorsWithExitCodes()
    {
        var demo = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "demo"], server.ApiKey);
        Assert.True(demo.Exit == 0, demo.Output + demo.Errors);
        Assert.Contains("Connected to neurascale", demo.Errors, StringComparison.Ordinal);
        Assert.Contains(server.EegSession.Id.Value, demo.Output, StringComparison.Ordinal);
        Assert.Contains("get_neural_data: 4 channels x", demo.Output, StringComparison.Ordinal);

        var call = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "call", "get_neural_data", "session_id=" + server.EegSession.Id.Value, "channels=[\"O1\",\"O2\"]", "end_time=1"], server.ApiKey);
        Assert.True(call.Exit == 0, call.Output + call.Errors);
        using (var json = JsonDocument.Parse(call.Output))
        {
            Assert.Equal(250, json.RootElement.GetProperty("n_samples").GetInt32());
            Assert.Equal(["O1", "O2"], json.RootElement.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        var ask = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "ask", $"ECG of {server.Patient.Value}"], server.ApiKey);
        Assert.True(ask.Exit == 0, ask.Output + ask.Errors);
        Assert.Contains(server.EcgSession.Id.Value, ask.Output, StringComparison.Ordinal);

        // A window through the bulk link, loaded with NumPy (Debian's) to check what was written.
        var file = Path.Combine(Path.GetTempPath(), $"client-{Guid.NewGuid():N}.npy");
        try
        {
            var download = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "download", server.EegSession.Id.Value, file, "--channels", "O1,O2", "--start", "2", "--end", "12"], server.ApiKey);
            Assert.True(download.Exit == 0, download.Output + download.Errors);
            Assert.Contains("channels O1,O2 at 250 Hz", download.Output, StringComparison.Ordinal);
            var loaded = await RunAsync("/usr/bin/python3", ["-c", "import numpy, sys; a = numpy.load(sys.argv[1]); print(a.shape, a.dtype)", file], null);
            Assert.Equal("(2, 2500) float32", loaded.Output.Trim());

            var missing = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "download", "ses_aaaaaaaaaaaaaaaaaaaa", file], server.ApiKey);
            Assert.Equal(2, missing.Exit);
            Assert.Contains("HTTP 404", missing.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Traceback", missing.Errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        var toolError = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "call", "get_neural_data", "session_id=ses_nope"], server.ApiKey);
        Assert.Equal(1, toolError.Exit);
        Assert.Contains("is not a session id", toolError.Errors, StringComparison.Ordinal);

        var refused = await RunAsync("/usr/bin/python3", [Example, "--url", server.Endpoint.ToString(), "tools"], "nsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("HTTP 401", refused.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", refused.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpInspectorCli_ListsAndCallsTools()
    {
        var inspector = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "mcp-inspector");
        Assert.True(File.Exists(inspector), "The MCP Inspector is not installed; ./scripts/test runs npm ci.");
        string[] common = ["--cli", server.Endpoint.ToString(), "--header", "Authorization: Bearer " + server.ApiKey];

        var list = await RunAsync(inspector, [.. common, "--method", "tools/list"], null);
        Assert.True(list.Exit == 0, list.Output + list.Errors);
        using (var tools = JsonDocument.Parse(list.Output))
        {
            var names = tools.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToArray();
            Assert.Contains("query_neural_data", names);
            Assert.Contains("get_neural_data", names);
        }

        var call = await RunAsync(inspector, [.. common, "--method", "tools/call", "--tool-name", "query_sessions", "--tool-arg", "patient_id=" + server.Patient.Value, "--tool-arg", "limit=1"], null);
        Assert.True(call.Exit == 0, call.Output + call.Errors);
        using var result = JsonDocument.Parse(call.Output);
        Assert.Equal(server.EcgSession.Id.Value, result.RootElement.GetProperty("structuredContent").GetProperty("sessions")[0].GetProperty("session_id").GetString());
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, IEnumerable<string> args, string? apiKey)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (apiKey is not null)
        {
            start.Environment["NEURASCALE_API_KEY"] = apiKey;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}

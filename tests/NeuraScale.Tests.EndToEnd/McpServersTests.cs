using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Mcp.Servers;
using NeuraScale.Mcp.Servers.NeuralData.Viewer;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The brief's four servers, each on its own route, and all of them on /mcp: name, instructions and tool set per
/// route, and the same authentication, permissions, rate limits and audit on every route; stdio chooses one server.
/// </summary>
public sealed class McpServersTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private Uri At(string route) => new(server.Endpoint, route);

    [Fact]
    public async Task EachRoute_IsItsServer_WithItsNameInstructionsAndOnlyItsTools()
    {
        var admin = await McpTestServer.CreateKeyAsync(server.Storage, ["admin"], cancellationToken: Ct);
        var everyTool = new HashSet<string>();
        foreach (var definition in McpServers.Each)
        {
            await using var client = await McpTestServer.ConnectAsync(At(definition.Route), admin, Ct);
            var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToHashSet();

            Assert.Equal(definition.Name, client.ServerInfo?.Name);
            Assert.Equal(definition.Instructions, client.ServerInstructions);
            Assert.Equal(definition.ToolNames.Order(), tools.Order());
            everyTool.UnionWith(tools);

            // The EEG viewer app is served where the tool that opens it is.
            var resources = (await client.ListResourcesAsync(cancellationToken: Ct)).Select(r => r.Uri).ToArray();
            Assert.Equal(definition.ToolNames.Contains("view_recording") ? [ViewerApp.Uri] : [], resources);
        }

        Assert.Equal(["apply_filter", "book_appointment", "cancel_appointment", "cancel_job", "check_impedance", "configure_device", "connect_device", "disconnect_device", "export_neural_data", "find_patients", "generate_report", "get_access_report", "get_command_status", "get_consent", "get_device_diagnostics", "get_job_status", "get_neural_data", "get_patient", "get_protocol", "get_protocol_run", "get_retention_policy", "import_recording", "insert_marker", "list_appointments", "list_devices", "list_protocols", "list_viewer_events", "monitor_signal_quality", "query_neural_data", "query_sessions", "read_viewer_page", "record_consent", "register_patient", "request_erasure", "reschedule_appointment", "run_analysis", "run_clinical_protocol", "start_recording", "stop_protocol_run", "stop_recording", "update_patient", "verify_audit_log", "view_recording"], everyTool.Order());
        await using var combined = await McpTestServer.ConnectAsync(server.Endpoint, admin, Ct);
        Assert.Equal("neurascale", combined.ServerInfo?.Name);
        Assert.Equal(everyTool.Order(), (await combined.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order());
    }

    [Fact]
    public async Task EveryRoute_WithoutACredential_Is401_PointingAtItsOwnResourceMetadata()
    {
        using var http = new HttpClient();
        foreach (var definition in McpServers.All)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, At(definition.Route))
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await http.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var metadataUrl = response.Headers.WwwAuthenticate.ToString().Split("resource_metadata=\"")[1].TrimEnd('"');
            Assert.EndsWith("/.well-known/oauth-protected-resource" + definition.Route, metadataUrl, StringComparison.Ordinal);
            using var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(metadataUrl), Ct));
            Assert.Equal(JsonValueKind.Array, metadata.RootElement.GetProperty("bearer_methods_supported").ValueKind);
        }
    }

    [Fact]
    public async Task EveryRoute_ChecksPermissions_RefusesOtherServersTools_AndAuditsEveryCall()
    {
        var reader = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        await using var clinical = await McpTestServer.ConnectAsync(At("/mcp/clinical"), reader, Ct);
        await using var analysis = await McpTestServer.ConnectAsync(At("/mcp/analysis"), reader, Ct);

        // A reader may use neither clinical tool: none is listed, and a call is refused naming the permission.
        Assert.Empty(await clinical.ListToolsAsync(cancellationToken: Ct));
        var forbidden = await clinical.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value }, cancellationToken: Ct);
        Assert.True(forbidden.IsError);
        Assert.Contains("needs the permission 'phi.read'", Text(forbidden), StringComparison.Ordinal);

        // The analysis server lists only what a reader may call of its own tools; another server's tool is not there.
        Assert.Equal(["get_neural_data", "query_sessions"], (await analysis.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order());
        var elsewhere = await analysis.CallToolAsync("verify_audit_log", new Dictionary<string, object?>(), cancellationToken: Ct);
        Assert.True(elsewhere.IsError);
        Assert.Contains("no tool named 'verify_audit_log' on this server", Text(elsewhere), StringComparison.Ordinal);
        Assert.Contains("/mcp", Text(elsewhere), StringComparison.Ordinal);
        var served = await analysis.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct);
        Assert.NotEqual(true, served.IsError);

        var entries = await AuditEntriesAsync();
        var keyId = "key:" + reader.Split('_')[1];
        var mine = entries.Where(e => e.GetProperty("caller").GetString() == keyId).Select(e => (Action: e.GetProperty("action").GetString(), Outcome: e.GetProperty("outcome").GetString())).ToArray();
        Assert.Contains(("tools/call:get_patient", "forbidden"), mine);
        Assert.Contains(("tools/call:verify_audit_log", "unknown_tool"), mine);
        Assert.Contains(("tools/call:query_sessions", "ok"), mine);
    }

    [Fact]
    public async Task RateLimit_IsPerCaller_AcrossEveryRoute()
    {
        await using var tight = await McpTestServer.StartAsync(server.Storage, new() { ["Security:RateLimits:Default"] = "3" }, Ct);
        var key = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        var args = new Dictionary<string, object?> { ["limit"] = 1 };
        foreach (var route in new[] { "/mcp/neural-data", "/mcp/analysis", "/mcp" })
        {
            await using var client = await McpTestServer.ConnectAsync(new Uri(tight.Endpoint, route), key, Ct);
            Assert.NotEqual(true, (await client.CallToolAsync("query_sessions", args, cancellationToken: Ct)).IsError);
        }

        await using var fourth = await McpTestServer.ConnectAsync(new Uri(tight.Endpoint, "/mcp/analysis"), key, Ct);
        var refused = await fourth.CallToolAsync("query_sessions", args, cancellationToken: Ct);
        Assert.True(refused.IsError);
        Assert.StartsWith("Rate limit exceeded: at most 3 tool calls per minute per caller.", Text(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdio_ServerFlag_ServesThatServerOnly()
    {
        var environment = AzuriteFixture.ToEnvironment(server.Storage);
        environment["NEURASCALE_API_KEY"] = server.ApiKey;
        environment["DOTNET_ENVIRONMENT"] = "Development"; // as a developer's Claude Desktop runs it: the host validates its services at build
        var dll = RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp");
        await using var client = await McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions
            {
                Command = "dotnet",
                Arguments = [dll, "--stdio", "--server", "analysis"],
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                EnvironmentVariables = environment,
                Name = "neurascale-analysis-stdio",
            }),
            cancellationToken: Ct);

        Assert.Equal("neurascale-analysis", client.ServerInfo?.Name);
        Assert.Equal(["get_neural_data", "query_sessions", "run_analysis"], (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order());
    }

    [Theory]
    [InlineData(new[] { "--stdio", "--server", "eeg" }, "eeg")]
    [InlineData(new[] { "--server", "analysis" }, "--server applies to --stdio")]
    public async Task BadServerFlag_ExitsWithWhatIsAllowed(string[] args, string expected)
    {
        var (exit, output, errors) = await McpCli.RunAsync(server.Storage, args, Ct);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, output + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
        if (expected == "eeg")
        {
            Assert.Contains("neural-data", output + errors, StringComparison.Ordinal);
        }
    }

    private async Task<JsonElement[]> AuditEntriesAsync()
    {
        var lines = await AuditLines.ReadAsync(server.Storage, Ct);
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }
}

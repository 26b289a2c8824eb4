using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>Authentication and authorisation through the official client: deny by default, per-tool permissions, patient scope.</summary>
public sealed class SecurityTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private Task<HttpResponseMessage> PostAsync(string? header, string? value) => PostAsync(header, value, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""");

    private async Task<HttpResponseMessage> PostAsync(string? header, string? value, string body, params (string Name, string Value)[] extra)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, headerValue) in extra)
        {
            if (name == "Host")
            {
                request.Headers.Host = headerValue;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, headerValue);
            }
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return await http.SendAsync(request, Ct);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Authorization", "Bearer nsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    [InlineData("X-API-Key", "nsk_not-a-key")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    public async Task Mcp_WithoutAValidCredential_Is401WithAChallenge(string? header, string? value)
    {
        using var response = await PostAsync(header, value);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer resource_metadata=\"http://127.0.0.1:", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("X-API-Key", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_WithValidKeyInEitherHeader_IsServed()
    {
        using var bearer = await PostAsync("Authorization", "Bearer " + server.ApiKey);
        using var header = await PostAsync("X-API-Key", server.ApiKey);

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
    }

    [Fact]
    public async Task RevokedKey_IsRefused()
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(server.Storage);
        var store = new ApiKeyStore(clients, TimeProvider.System);
        var (key, token) = await store.CreateAsync("to revoke", ["reader"], null, null, Ct);
        using (var before = await PostAsync("X-API-Key", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.True(await store.RevokeAsync(key.KeyId, Ct));

        using var after = await PostAsync("X-API-Key", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    /// <summary>Every configured role × every tool: tools/list shows exactly the tools the role may call, and calls agree.</summary>
    [Fact]
    public async Task PermissionMatrix_EveryRoleEveryTool_MatchesConfiguration()
    {
        var roles = new SecurityOptions().Roles;
        var checkedPairs = 0;
        await using var probe = await server.ConnectAsync(Ct);
        // Every tool the server assembly declares, with the permission its [RequiresPermission] names.
        var allTools = typeof(RequiresPermissionAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Tool: m.GetCustomAttributes(typeof(ModelContextProtocol.Server.McpServerToolAttribute), false).Cast<ModelContextProtocol.Server.McpServerToolAttribute>().SingleOrDefault(), Method: m))
            .Where(x => x.Tool is not null)
            .ToDictionary(x => x.Tool!.Name!, x => ((RequiresPermissionAttribute)x.Method.GetCustomAttributes(typeof(RequiresPermissionAttribute), false).Single()).Permission);
        Assert.Equal(allTools.Keys.Order(), (await probe.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order());

        foreach (var (role, granted) in roles)
        {
            var key = await McpTestServer.CreateKeyAsync(server.Storage, [role], cancellationToken: Ct);
            await using var client = await McpTestServer.ConnectAsync(server.Endpoint, key, Ct);
            var listed = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToHashSet();
            var export = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["format"] = "mat", ["end_time"] = 1 };
            var jobId = granted.Contains(Permissions.NeuralDataExport)
                ? JsonSerializer.SerializeToElement((await client.CallToolAsync("export_neural_data", export, cancellationToken: Ct)).StructuredContent).GetProperty("job_id").GetString()
                : "job_aaaaaaaaaaaaaaaaaaaa";
            foreach (var (tool, permission) in allTools)
            {
                var allowed = granted.Contains(permission);
                Assert.True(allowed == listed.Contains(tool), $"{role} / {tool}: listed {listed.Contains(tool)}, expected {allowed}");
                var args = tool switch
                {
                    "get_neural_data" => new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["end_time"] = 0.1 },
                    "query_sessions" => new Dictionary<string, object?> { ["limit"] = 1 },
                    "view_recording" or "read_viewer_page" or "list_viewer_events" => new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value },
                    "query_neural_data" => new Dictionary<string, object?> { ["question"] = "the newest EEG" },
                    "get_patient" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value },
                    "run_analysis" => new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["analysis_type"] = "spectral", ["end_time"] = 4 },
                    "apply_filter" => new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["filter_type"] = "lowpass", ["high_freq"] = 30, ["end_time"] = 2 },
                    "export_neural_data" => export,
                    "import_recording" => new Dictionary<string, object?> { ["patient"] = server.Patient.Value },
                    "get_job_status" or "cancel_job" => new Dictionary<string, object?> { ["job_id"] = jobId },
                    "register_patient" => new Dictionary<string, object?> { ["given_name"] = "Matrix", ["family_name"] = "Probe", ["date_of_birth"] = "1970-05-06", ["medical_record_number"] = $"MRN-MATRIX-{role}" },
                    "update_patient" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value, ["family_name"] = "Patient" },
                    "book_appointment" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value, ["protocol_id"] = "routine-eeg", ["device_id"] = "no-such-device", ["technologist"] = "T. Tech", ["start"] = "2030-01-01T09:00", ["time_zone"] = "UTC" },
                    "reschedule_appointment" or "cancel_appointment" => new Dictionary<string, object?> { ["appointment_id"] = "apt_0000000000000000" },
                    "record_consent" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value, ["purpose"] = "research", ["given"] = true },
                    "get_consent" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value },
                    "get_protocol" => new Dictionary<string, object?> { ["protocol_id"] = "routine-eeg" },
                    "run_clinical_protocol" => new Dictionary<string, object?> { ["protocol_id"] = "resting-state", ["patient_id"] = server.Patient.Value, ["device_id"] = "no-such-device" },
                    "get_protocol_run" or "stop_protocol_run" => new Dictionary<string, object?> { ["run_id"] = "run_00000000000000000000" },
                    "get_access_report" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value, ["days"] = 1 },
                    "request_erasure" => new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value, ["reason"] = "patient_request", ["confirm"] = "not-the-id" },
                    "generate_report" => new Dictionary<string, object?> { ["session_ids"] = new[] { server.EegSession.Id.Value }, ["report_type"] = "quality", ["wait_seconds"] = 0 },
                    _ => new Dictionary<string, object?>(),
                };
                var result = await client.CallToolAsync(tool, args, cancellationToken: Ct);
                if (allowed && tool is "connect_device" or "disconnect_device" or "configure_device" or "monitor_signal_quality" or "get_device_diagnostics" or "get_command_status" or "start_recording" or "stop_recording" or "check_impedance" or "insert_marker")
                {
                    // Allowed: past the permission check, refused for the missing device or command id (no relay in this fixture).
                    Assert.Matches("^Invalid arguments for (connect_device|disconnect_device|configure_device|monitor_signal_quality|get_device_diagnostics|get_command_status|start_recording|stop_recording|check_impedance|insert_marker): (device_id|command_id) is", Text(result));
                    checkedPairs++;
                    continue;
                }

                if (allowed && tool == "update_patient" && !granted.Contains(Permissions.PhiRead))
                {
                    // Allowed to call, but correcting an identity needs phi.read as well (you see what you change).
                    Assert.Contains("needs the permission 'phi.read'", Text(result), StringComparison.Ordinal);
                    checkedPairs++;
                    continue;
                }

                if (allowed && tool is "run_clinical_protocol" or "get_protocol_run" or "stop_protocol_run" or "book_appointment" or "reschedule_appointment" or "cancel_appointment")
                {
                    // Allowed: past the permission check, refused for the missing device (or devices.control) or run.
                    Assert.Matches("(There is no device 'no-such-device'|Running a protocol drives the amplifier|Run 'run_0+' does not exist|Appointment 'apt_0+' does not exist)", Text(result));
                    checkedPairs++;
                    continue;
                }

                if (allowed && tool == "request_erasure")
                {
                    // Allowed: past the permission check, refused for want of confirmation (the shared patient stays).
                    Assert.Contains("set confirm to the patient_id", Text(result), StringComparison.Ordinal);
                    checkedPairs++;
                    continue;
                }

                if (allowed && tool == "generate_report")
                {
                    // Allowed: past the permission check, then refused or written by the fixture patient's consent.
                    Assert.Matches("(has no recorded consent|Recording quality report|Report job)", Text(result));
                    checkedPairs++;
                    continue;
                }

                Assert.True(allowed == (result.IsError != true), $"{role} / {tool}: {Text(result)}");
                if (!allowed)
                {
                    Assert.Contains($"needs the permission '{permission}'", Text(result), StringComparison.Ordinal);
                }

                checkedPairs++;
            }
        }

        Assert.Equal(roles.Count * allTools.Count, checkedPairs);
    }

    [Fact]
    public async Task PatientScope_HidesOtherPatientsEverywhere()
    {
        var outsider = await McpTestServer.CreateKeyAsync(server.Storage, ["clinician"], [PatientPseudonym.New()], Ct);
        var insider = await McpTestServer.CreateKeyAsync(server.Storage, ["clinician"], [server.Patient], Ct);
        await using var outside = await McpTestServer.ConnectAsync(server.Endpoint, outsider, Ct);
        await using var inside = await McpTestServer.ConnectAsync(server.Endpoint, insider, Ct);

        var outsideList = await outside.CallToolAsync("query_sessions", new Dictionary<string, object?>(), cancellationToken: Ct);
        var outsideNamed = await outside.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value }, cancellationToken: Ct);
        var outsideRead = await outside.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value }, cancellationToken: Ct);
        var unknownRead = await outside.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = SessionId.New().Value }, cancellationToken: Ct);
        var insideList = await inside.CallToolAsync("query_sessions", new Dictionary<string, object?>(), cancellationToken: Ct);

        Assert.Equal("No sessions match these filters.", Text(outsideList));
        Assert.Equal("No sessions match these filters.", Text(outsideNamed));
        Assert.True(outsideRead.IsError);
        // Indistinguishable from a session that does not exist: same message but for the id.
        Assert.Equal(Text(unknownRead).Replace(ToolId(unknownRead), "ID", StringComparison.Ordinal), Text(outsideRead).Replace(server.EegSession.Id.Value, "ID", StringComparison.Ordinal));
        Assert.StartsWith("2 session(s)", Text(insideList), StringComparison.Ordinal);

        static string ToolId(CallToolResult r) => Text(r).Split('\'')[1];
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example:8080")]
    [InlineData("null")]
    public async Task ForeignOrigin_IsRefused_EvenWithAValidKey(string origin)
    {
        using var response = await PostAsync("X-API-Key", server.ApiKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", ("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Http:AllowedOrigins", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackOrigin_IsAllowed_AndResponsesCarrySecurityHeaders()
    {
        using var response = await PostAsync("X-API-Key", server.ApiKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", ("Origin", "http://localhost:6274"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task ForeignHostHeader_IsRefused()
    {
        using var response = await PostAsync("X-API-Key", server.ApiKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", ("Host", "rebound.evil.example"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RequestWithoutAHost_IsRefused()
    {
        // HTTP/1.0 allows leaving Host out; the host allow-list must not be bypassed that way.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Endpoint.Host, server.Endpoint.Port, Ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.0\r\n\r\n"u8.ToArray(), Ct);
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync(Ct);

        Assert.StartsWith("HTTP/1.1 400", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_IsRefused()
    {
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"query_sessions\",\"arguments\":{\"cursor\":\"" + new string('a', 2 * 1024 * 1024) + "\"}}}";

        using var response = await PostAsync("X-API-Key", server.ApiKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Exceeded_IsAToolErrorNamingTheLimitAndRetryAfter_PerCaller()
    {
        await using var tight = await McpTestServer.StartAsync(server.Storage, new() { ["Security:RateLimits:Default"] = "3" }, Ct);
        var first = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        var second = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        await using var a = await McpTestServer.ConnectAsync(tight.Endpoint, first, Ct);
        await using var b = await McpTestServer.ConnectAsync(tight.Endpoint, second, Ct);
        var args = new Dictionary<string, object?> { ["limit"] = 1 };

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(true, (await a.CallToolAsync("query_sessions", args, cancellationToken: Ct)).IsError);
        }

        var refused = await a.CallToolAsync("query_sessions", args, cancellationToken: Ct);
        Assert.True(refused.IsError);
        Assert.Matches(@"^Rate limit exceeded: at most 3 tool calls per minute per caller\. Retry after \d+ s\.$", Text(refused));
        Assert.NotEqual(true, (await b.CallToolAsync("query_sessions", args, cancellationToken: Ct)).IsError);
    }

    [Fact]
    public async Task UnknownTool_IsAToolErrorPointingAtToolsList()
    {
        await using var client = await server.ConnectAsync(Ct);

        var result = await client.CallToolAsync("calibrate_flux_capacitor", new Dictionary<string, object?> { ["device_id"] = "x" }, cancellationToken: Ct);

        Assert.True(result.IsError);
        Assert.Contains("tools/list", Text(result), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.LocalHost;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>The server as the Functions host and as Claude Desktop start it: the built DLL, custom-handler port, stdio.</summary>
public sealed class HostingTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string McpDll => RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp");

    /// <summary>
    /// The settings files ship beside the binary and are read from there wherever it is started (here: from the
    /// repository root), so their log levels hold — without them every tool call wrote Information lines from the SDK.
    /// </summary>
    [Fact]
    public async Task BuiltServer_StartedFromAnotherDirectory_ReadsItsOwnSettings_AndLogsNoInformationPerCall()
    {
        await using var process = await McpServerProcess.StartAsync(McpDll, [], AzuriteFixture.ToEnvironment(server.Storage), Ct, workingDirectory: RepositoryPaths.Root);
        var key = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        await using (var client = await McpTestServer.ConnectAsync(process.Endpoint, key, Ct))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.NotEqual(true, (await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct)).IsError);
            }
        }

        await process.DisposeAsync();
        Assert.DoesNotContain("ModelContextProtocol", process.Output, StringComparison.Ordinal);
        Assert.All(
            process.Output.Split('\n').Where(l => l.StartsWith("info:", StringComparison.Ordinal)),
            l => Assert.StartsWith("info: Microsoft.Hosting.Lifetime", l, StringComparison.Ordinal)); // start and stop only
    }

    [Fact]
    public void HostJson_DescribesASelfHostedMcpServerRunningTheBuiltDll()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var root = hostJson.RootElement;
        var handler = root.GetProperty("customHandler");

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("mcp-custom-handler", root.GetProperty("configurationProfile").GetString());
        Assert.Equal("dotnet", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        var dll = Assert.Single(handler.GetProperty("description").GetProperty("arguments").EnumerateArray()).GetString();
        Assert.Equal(Path.GetFileName(McpDll), dll);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(McpDll)!, "host.json")), "host.json must ship beside the DLL it names");
        Assert.Equal(NeuraScaleMcpServer.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture), handler.GetProperty("port").GetString());

        var settings = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "functions", "NeuraScale.Mcp", "local.settings.example.json"));
        Assert.Contains("\"AzureWebJobsFeatureFlags\": \"EnableMcpCustomHandlerPreview\"", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltDll_AsCustomHandler_ListensOnTheFunctionsHostPort()
    {
        var port = LoopbackPorts.Free(1)[0];
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(McpDll)! };
        start.ArgumentList.Add(McpDll);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in AzuriteFixture.ToEnvironment(server.Storage))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        try
        {
            await using var client = await ConnectWhenUpAsync(new Uri($"http://127.0.0.1:{port}/mcp"), process, server.ApiKey);
            var result = await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = server.Patient.Value }, cancellationToken: Ct);
            Assert.NotEqual(true, result.IsError);
            Assert.StartsWith("2 session(s)", ((TextContentBlock)result.Content[0]).Text, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// The built server with exactly the app settings infra/ gives the MCP app (read from the compiled template): its
    /// literal settings as they are, the storage account by HTTPS service URI and managed identity, the audit key as
    /// the platform resolves its Key Vault reference, no environment name (Production).
    /// It must start — development defaults such as Azurite's connection string must not reach it — and serve: the
    /// health endpoint answers, and an MCP request without a credential gets the 401 challenge, on the app's own host
    /// name (requests naming another host are refused, as AllowedHosts says).
    /// </summary>
    [Fact]
    public async Task BuiltDll_WithExactlyTheSettingsInfraGivesIt_StartsAndServes()
    {
        var (template, module) = InfraTemplate.McpApp();
        using var _ = template;
        const string Host = "func-neurascale-mcp-test.azurewebsites.net";
        var settings = InfraTemplate.McpAppSettings(module, Host);
        Assert.Equal("dotnet-isolated", module.GetProperty("properties").GetProperty("parameters").GetProperty("runtimeName").GetProperty("value").GetString());
        Assert.Equal("10.0", module.GetProperty("properties").GetProperty("parameters").GetProperty("runtimeVersion").GetProperty("value").GetString());
        Assert.Equal($"{Host};localhost;127.0.0.1", settings["NEURASCALE_AllowedHosts"]);
        var storageSettings = module.GetProperty("properties").GetProperty("template").GetRawText();
        string[] storage = ["NEURASCALE_Storage__BlobServiceUri", "NEURASCALE_Storage__TableServiceUri", "NEURASCALE_Storage__QueueServiceUri", "NEURASCALE_Storage__ManagedIdentityClientId", "NEURASCALE_Storage__CreateIfMissing"];
        Assert.All(storage, name => Assert.Contains($"'{name}'", storageSettings, StringComparison.Ordinal)); // keys of the union(createObject(...)) expression

        // Sign-in as azd up configures it once the preprovision hook has registered the Entra app: the template's
        // signInSettings name exactly these settings; here the authority is a local one (Entra is not reachable
        // from the tests), serving its OIDC metadata over http.
        var signIn = template.RootElement.GetProperty("variables").GetProperty("signInSettings").GetString()!;
        string[] jwt = ["NEURASCALE_Security__Jwt__Authority", "NEURASCALE_Security__Jwt__Audience", "NEURASCALE_Security__Jwt__Scopes__0"];
        Assert.All(jwt, name => Assert.Contains($"'{name}'", signIn, StringComparison.Ordinal));
        Assert.Contains("/v2.0", signIn, StringComparison.Ordinal);
        Assert.Contains("'api://{0}/user_impersonation', parameters('entraClientId')", signIn, StringComparison.Ordinal);
        await using var authority = await TestAuthority.StartAsync(Ct);
        var clientId = Guid.NewGuid().ToString();

        // Token credentials need HTTPS (the SDK refuses them over HTTP, and Azurite's OAuth mode needs TLS), so the
        // service URIs point at an HTTPS loopback port with nothing behind it: the server must start and answer; the
        // storage check reports the account unreachable.
        var ports = LoopbackPorts.Free(2);
        var (port, nowhere) = (ports[0], ports[1]);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(McpDll)! };
        start.ArgumentList.Add(McpDll);
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("NEURASCALE_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["NEURASCALE_Storage__BlobServiceUri"] = $"https://127.0.0.1:{nowhere}/devstoreaccount1";
        start.Environment["NEURASCALE_Storage__TableServiceUri"] = $"https://127.0.0.1:{nowhere}/devstoreaccount1";
        start.Environment["NEURASCALE_Storage__QueueServiceUri"] = $"https://127.0.0.1:{nowhere}/devstoreaccount1";
        start.Environment["NEURASCALE_Storage__ManagedIdentityClientId"] = Guid.NewGuid().ToString();
        start.Environment["NEURASCALE_Storage__CreateIfMissing"] = "false";
        start.Environment["NEURASCALE_Audit__ArgumentHashKey"] = AzuriteFixture.TestAuditKey; // the Key Vault reference, resolved
        start.Environment["NEURASCALE_Security__Jwt__Authority"] = authority.Issuer.ToString().TrimEnd('/');
        start.Environment["NEURASCALE_Security__Jwt__Audience"] = clientId;
        start.Environment["NEURASCALE_Security__Jwt__Scopes__0"] = $"api://{clientId}/user_impersonation";
        start.Environment["NEURASCALE_Security__Jwt__RequireHttpsMetadata"] = "false"; // only because the local authority is http

        using var process = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var host = Host;
            HttpResponseMessage? health = null;
            var watch = Stopwatch.StartNew();
            while (health is null && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                Assert.False(process.HasExited, $"The server exited ({(process.HasExited ? process.ExitCode : 0)}) with infra's settings:\n{errors}");
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/health");
                    request.Headers.Host = host;
                    health = await http.SendAsync(request, Ct);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250, Ct);
                }
            }

            Assert.NotNull(health);
            // No storage behind the URIs, so the storage check may report unhealthy: what matters here is that the
            // server started with these settings and answers.
            Assert.Contains(health!.StatusCode, new[] { System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.ServiceUnavailable });

            using var list = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/mcp")
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            list.Headers.Host = host;
            list.Headers.Accept.ParseAdd("application/json");
            list.Headers.Accept.ParseAdd("text/event-stream");
            using var challenge = await http.SendAsync(list, Ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, challenge.StatusCode);
            Assert.Contains("resource_metadata", challenge.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

            // Behind the Functions host the request arrives over HTTP from loopback; the resource URIs a client compares
            // are still the public https ones.
            Assert.Equal($"Bearer resource_metadata=\"https://{host}/.well-known/oauth-protected-resource/mcp\"", challenge.Headers.WwwAuthenticate.ToString());
            using var prm = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/.well-known/oauth-protected-resource/mcp");
            prm.Headers.Host = host;
            prm.Headers.Add("X-Forwarded-Proto", "https");
            prm.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var metadata = await http.SendAsync(prm, Ct);
            using (var document = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync(Ct)))
            {
                Assert.Equal($"https://{host}/mcp", document.RootElement.GetProperty("resource").GetString());
                Assert.Equal(authority.Issuer.ToString().TrimEnd('/'), document.RootElement.GetProperty("authorization_servers")[0].GetString()!.TrimEnd('/'));
                Assert.Equal($"api://{clientId}/user_impersonation", document.RootElement.GetProperty("scopes_supported")[0].GetString());
            }

            // A signed-in user's token (audience: the app registration; roles: app roles) lists that role's tools.
            using var signedIn = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/mcp")
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            signedIn.Headers.Host = host;
            signedIn.Headers.Accept.ParseAdd("application/json");
            signedIn.Headers.Accept.ParseAdd("text/event-stream");
            signedIn.Headers.Authorization = new("Bearer", authority.Mint(clientId, ["auditor"]));
            using var tools = await http.SendAsync(signedIn, Ct);
            var listed = await tools.Content.ReadAsStringAsync(Ct);
            Assert.True(tools.StatusCode == System.Net.HttpStatusCode.OK, $"{tools.StatusCode}: {listed}\n{errors}");
            Assert.Contains("\"verify_audit_log\"", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("\"get_neural_data\"", listed, StringComparison.Ordinal);

            // The proxy's own loopback host name is served too; any other host is refused.
            using var proxied = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/health");
            Assert.NotEqual(System.Net.HttpStatusCode.BadRequest, (await http.SendAsync(proxied, Ct)).StatusCode);
            using var wrongHost = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/health");
            wrongHost.Headers.Host = "evil.example.com";
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.SendAsync(wrongHost, Ct)).StatusCode);
            Assert.False(process.HasExited, errors.ToString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Stdio_ServesTheSameTools()
    {
        var environment = AzuriteFixture.ToEnvironment(server.Storage);
        environment["NEURASCALE_API_KEY"] = server.ApiKey;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [McpDll, "--stdio"],
            WorkingDirectory = Path.GetDirectoryName(McpDll)!,
            EnvironmentVariables = environment,
            Name = "neurascale-stdio",
        });

        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        var result = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?>
        {
            ["session_id"] = server.EcgSession.Id.Value, ["channels"] = new object[] { "II" }, ["end_time"] = 0.01,
        }, cancellationToken: Ct);

        Assert.Contains(tools, t => t.Name == "query_sessions");
        Assert.Contains(tools, t => t.Name == "get_neural_data");
        Assert.NotEqual(true, result.IsError);
        var truth = new NeuraScale.Amplifiers.Simulation.SimulatedAmplifier(McpServerFixture.EcgOptions);
        var row = JsonSerializer.SerializeToElement(result.StructuredContent).GetProperty("data")[0];
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (float)truth.Sample(1, i)), row.EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task KeysCli_CreatesAWorkingKey_ListsItWithoutTheSecret_AndRevokesIt()
    {
        var created = await RunKeysAsync("create", "--name", "ward 3 tablet", "--role", "reader", "--expires-in-days", "30");
        var token = created.Split('\n').Single(l => l.StartsWith("API key: ", StringComparison.Ordinal))["API key: ".Length..].Trim();
        var keyId = token.Split('_')[1];

        await using (var client = await McpTestServer.ConnectAsync(server.Endpoint, token, Ct))
        {
            Assert.Equal(["get_neural_data", "list_viewer_events", "query_neural_data", "query_sessions", "read_viewer_page", "view_recording"], (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order());
        }

        var listed = await RunKeysAsync("list");
        var line = listed.Split('\n').Single(l => l.StartsWith(keyId, StringComparison.Ordinal));
        Assert.Contains("active", line, StringComparison.Ordinal);
        Assert.Contains("roles=reader", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('_')[2], listed, StringComparison.Ordinal);

        Assert.Contains("Revoked", await RunKeysAsync("revoke", keyId), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => McpTestServer.ConnectAsync(server.Endpoint, token, Ct));
        Assert.Contains("revoked", (await RunKeysAsync("list")).Split('\n').Single(l => l.StartsWith(keyId, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCli_UnknownRole_ListsTheConfiguredRoles()
    {
        var output = await RunKeysAsync(2, "create", "--name", "x", "--role", "superuser");

        Assert.Contains("Unknown role(s) superuser", output, StringComparison.Ordinal);
        Assert.Contains("researcher", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is the public development key, which is refused in the 'Production' environment")]
    [InlineData("too-short", "must be a secret of at least 32 characters")]
    public async Task BuiltDll_InProduction_WithoutARealAuditKey_RefusesToStart_SayingWhatToSet(string? key, string expected)
    {
        var port = LoopbackPorts.Free(1)[0];
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(McpDll)! };
        start.ArgumentList.Add(McpDll);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in AzuriteFixture.ToEnvironment(server.Storage).Where(e => !e.Key.Contains("Audit", StringComparison.Ordinal)))
        {
            start.Environment[name] = value;
        }

        if (key is not null)
        {
            start.Environment["NEURASCALE_Audit__ArgumentHashKey"] = key;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(78, process.ExitCode);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.Contains("Audit:ArgumentHashKey", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors + await output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--expires-in-days", "-1", "--expires-in-days must be 1–3650")]
    [InlineData("--expires-in-days", "0", "--expires-in-days must be 1–3650")]
    [InlineData("--patient", "John Smith", "is not a pseudonym")]
    public async Task KeysCli_BadOption_IsRefusedSayingWhatIsAllowed_AndCreatesNothing(string option, string value, string expected)
    {
        var before = await RunKeysAsync("list");
        var (exit, output, errors) = await McpCli.RunAsync(server.Storage, ["keys", "create", "--name", "probe", "--role", "reader", option, value], Ct);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, output + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
        Assert.Equal(before, await RunKeysAsync("list"));
    }

    private Task<string> RunKeysAsync(params string[] args) => RunKeysAsync(0, args);

    private async Task<string> RunKeysAsync(int expectedExit, params string[] args)
    {
        var (exit, output, errors) = await McpCli.RunAsync(server.Storage, ["keys", .. args], Ct);
        Assert.True(exit == expectedExit, $"keys {string.Join(' ', args)} exited {exit}:\n{output}\n{errors}");
        return output;
    }

    private static async Task<McpClient> ConnectWhenUpAsync(Uri endpoint, Process process, string apiKey)
    {
        using var http = new HttpClient();
        var health = new Uri(endpoint, "/health");
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(health, Ct);
                if (response.IsSuccessStatusCode)
                {
                    return await McpTestServer.ConnectAsync(endpoint, apiKey, Ct);
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(50, Ct); // waiting for the process to bind its port
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        throw new InvalidOperationException($"The server did not become healthy ({last}). Output:\n{await process.StandardOutput.ReadToEndAsync(Ct)}\n{await process.StandardError.ReadToEndAsync(Ct)}");
    }
}

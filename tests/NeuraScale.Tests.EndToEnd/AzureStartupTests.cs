using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.LocalHost;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The published MCP app as it runs in Azure: exactly the app settings the compiled infra template gives it, the
/// storage account addressed by service URI with a managed identity (Azurite over HTTPS with OAuth standing in for
/// the account, a stand-in for the platform's identity endpoint, the certificate trusted as a machine trusts its
/// storage's), the audit key as Key Vault resolves it. The admin CLI manages keys the same way, and refuses a
/// connection string beside the URIs. The server must start, answer /health, list and call tools for a key holder,
/// audit those calls into a chain the CLI verifies, and have used the identity for all of it.
/// </summary>
public sealed class AzureStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishedApp_WithInfrasSettings_OnIdentityBasedStorage_ServesAKeyHolder_AndTheCliManagesKeysByServiceUri()
    {
        var certificate = TestCertificate.Create();
        await using var azurite = await AzuriteProcess.StartAsync(certificate.Tls, Ct);
        await using var identity = await ManagedIdentityStandIn.StartAsync(Ct);
        var dll = await PublishAsync();
        var (template, module) = InfraTemplate.McpApp();
        using var _ = template;
        const string Host = "func-neurascale-mcp-test.azurewebsites.net";

        // What the platform and the template's module give every app: storage by URI, the identity, the trust store.
        var azure = new Dictionary<string, string?>
        {
            ["NEURASCALE_Storage__BlobServiceUri"] = azurite.ServiceUri(azurite.BlobPort).ToString(),
            ["NEURASCALE_Storage__TableServiceUri"] = azurite.ServiceUri(azurite.TablePort).ToString(),
            ["NEURASCALE_Storage__QueueServiceUri"] = azurite.ServiceUri(azurite.QueuePort).ToString(),
            ["NEURASCALE_Storage__ManagedIdentityClientId"] = Guid.NewGuid().ToString(),
            ["NEURASCALE_Audit__ArgumentHashKey"] = AzuriteFixture.TestAuditKey, // the Key Vault reference, resolved
            ["SSL_CERT_FILE"] = certificate.TrustBundle,
            ["IDENTITY_ENDPOINT"] = identity.Environment["IDENTITY_ENDPOINT"],
            ["IDENTITY_HEADER"] = identity.Environment["IDENTITY_HEADER"],
        };

        // An operator creates a key against the account by URI (first use creates the containers and tables).
        var created = await RunCliAsync(dll, azure, "keys", "create", "--name", "ops", "--role", "reader");
        Assert.True(created.Exit == 0, created.Output);
        var key = System.Text.RegularExpressions.Regex.Match(created.Output, "nsk_[A-Za-z0-9]+_[A-Za-z0-9]+").Value;
        Assert.NotEmpty(key);
        var ambiguous = await RunCliAsync(dll, new Dictionary<string, string?>(azure) { ["NEURASCALE_Storage__ConnectionString"] = azurite.ConnectionString }, "keys", "list");
        Assert.NotEqual(0, ambiguous.Exit);
        Assert.Contains("not both", ambiguous.Output, StringComparison.Ordinal);

        var settings = InfraTemplate.McpAppSettings(module, Host).Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))
            .Concat(azure).Append(KeyValuePair.Create("NEURASCALE_Storage__CreateIfMissing", (string?)"false"));
        await using (var server = await McpServerProcess.StartAsync(dll, settings, Ct))
        {
            await using var client = await McpTestServer.ConnectAsync(server.Endpoint, key, Ct);
            var tools = await client.ListToolsAsync(cancellationToken: Ct);
            Assert.Contains(tools, t => t.Name == "get_neural_data");
            var result = await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 5 }, cancellationToken: Ct);
            Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        }

        Assert.True(identity.Requests > 0, "the server never asked the platform's identity endpoint for a token");
        var verified = await RunCliAsync(dll, azure, "audit", "verify");
        Assert.True(verified.Exit == 0, verified.Output);
        Assert.Matches(@"intact: All [1-9]\d* entries of 1 writer", verified.Output);
    }

    /// <summary>The deployment package: what azd publishes (host.json beside the DLL), from the Release build.</summary>
    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("neurascale-publish-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var arg in new[] { "publish", "functions/NeuraScale.Mcp", "-c", "Release", "--no-build", "-o", output, "--nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, await log + errors);
        Assert.True(File.Exists(Path.Combine(output, "host.json")), "host.json must be in the deployment package beside the DLL");
        return Path.Combine(output, "NeuraScale.Mcp.dll");
    }

    private static async Task<(int Exit, string Output)> RunCliAsync(string dll, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var (exit, output, errors) = await McpCli.RunAsync(dll, environment, args, Ct);
        return (exit, output + errors);
    }
}

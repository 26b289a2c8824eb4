using System.Diagnostics;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// scripts/verify-deployment, the check docs/deployment.md gives for a deployment, run against the built server as its
/// own process (Production environment) with sign-in configured against a local authority: it must pass with no
/// credential, an API key and a token, and fail, saying why, on a wrong one.
/// </summary>
public sealed class DeploymentVerificationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyScript_ChecksHealthMetadataAndToolsList_AndFailsOnAWrongCredential()
    {
        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        await using var authority = await TestAuthority.StartAsync(Ct);
        const string ClientId = "6c0b1f0e-0000-4000-8000-00000000beef";
        await using var server = await McpServerProcess.StartAsync(storage, new Dictionary<string, string>
        {
            ["NEURASCALE_Security__Jwt__Authority"] = authority.Issuer.ToString().TrimEnd('/'),
            ["NEURASCALE_Security__Jwt__Audience"] = ClientId,
            ["NEURASCALE_Security__Jwt__Scopes__0"] = $"api://{ClientId}/user_impersonation",
            ["NEURASCALE_Security__Jwt__RequireHttpsMetadata"] = "false",
        }, Ct);
        var endpoint = server.Endpoint.ToString();

        var anonymous = await RunAsync(endpoint);
        Assert.True(anonymous.Exit == 0, anonymous.Output);
        Assert.Contains($"resource {endpoint}; authorization server {authority.Issuer.ToString().TrimEnd('/')}", anonymous.Output, StringComparison.Ordinal);
        Assert.Contains($"scope api://{ClientId}/user_impersonation", anonymous.Output, StringComparison.Ordinal);

        var keyed = await RunAsync(endpoint, "--key", key);
        Assert.True(keyed.Exit == 0, keyed.Output);
        Assert.Matches(@"ok   tools/list: \d+ tool\(s\): .*get_neural_data", keyed.Output);

        var signedIn = await RunAsync(endpoint, "--token", authority.Mint(ClientId, ["auditor"]));
        Assert.True(signedIn.Exit == 0, signedIn.Output);
        Assert.Contains("ok   tools/list: 1 tool(s): verify_audit_log", signedIn.Output, StringComparison.Ordinal);

        var wrong = await RunAsync(endpoint, "--key", "nsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        Assert.Equal(1, wrong.Exit);
        Assert.Contains("FAIL tools/list with the credential answered 401", wrong.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "verify-deployment"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + errors);
    }
}

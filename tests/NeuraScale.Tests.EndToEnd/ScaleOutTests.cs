using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// Three server processes over one storage account, as a Flex Consumption app scaled out to three instances: a caller
/// spreading calls over them gets one rate limit, not three, and every call lands in the audit log — three writers,
/// three chains, all verifying.
/// </summary>
public sealed class ScaleOutTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeInstances_GiveACallerOneRateLimit_AndEveryCallIsAuditedInChainsThatVerify()
    {
        const int Limit = 30, Calls = 90;
        var storage = azurite.IsolatedOptions();
        await NeuraScale.Storage.StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        var settings = new Dictionary<string, string>
        {
            ["NEURASCALE_Security__RateLimits__Default"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NEURASCALE_Security__RateLimits__WindowSeconds"] = "3600", // one window for the whole test
        };

        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => McpServerProcess.StartAsync(storage, settings, Ct)));
        int allowed, refused;
        try
        {
            var clients = await Task.WhenAll(servers.Select(s => McpTestServer.ConnectAsync(s.Endpoint, key, Ct)));
            var results = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i =>
                clients[i % 3].CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct).AsTask()));
            allowed = results.Count(r => r.IsError != true);
            refused = results.Count(r => r.IsError == true && Text(r).Contains("Rate limit exceeded", StringComparison.Ordinal));
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        // Aligned windows: a one-hour window boundary falling inside the test could let one more call through.
        Assert.InRange(allowed, Limit, Limit + 1);
        Assert.Equal(Calls, allowed + refused);

        var entries = (await AuditLines.ReadAsync(storage, Ct)).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("action").GetString() == "tools/call:query_sessions").ToArray();
        Assert.Equal(Calls, entries.Length);
        Assert.Equal(refused, entries.Count(e => e.GetProperty("outcome").GetString() == "rate_limited"));
        Assert.Equal(3, entries.Select(e => e.GetProperty("writer").GetString()).Distinct().Count());

        var (exit, output, errors) = await McpCli.RunAsync(storage, ["audit", "verify"], Ct);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("intact", output, StringComparison.Ordinal);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

using System.ComponentModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// What keeps the server fast under many callers without giving up its promises: validated keys remembered for a
/// stated lifetime (a revoked key refused within it), and a bounded amount of work in progress (past it, an immediate
/// 503 with Retry-After instead of a queue that grows until everyone times out).
/// </summary>
public sealed class LoadProtectionTests(McpServerFixture fixture) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokedKey_KeepsWorkingOnlyUntilTheCacheLifetime_ThenIsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await McpTestServer.StartAsync(
            fixture.Storage,
            new() { ["Security:ApiKeys:CacheSeconds"] = "30" },
            builder => builder.Services.AddSingleton<TimeProvider>(time),
            Ct);
        var store = new ApiKeyStore(StorageServiceCollectionExtensions.CreateClients(fixture.Storage), time);
        var (key, token) = await store.CreateAsync("to revoke", ["reader"], null, null, Ct);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, server.Endpoint, token));
        Assert.True(await store.RevokeAsync(key.KeyId, Ct));

        // Within the lifetime this instance still trusts what it validated...
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, server.Endpoint, token));

        // ...and past it asks the key store again, which refuses the key, on this and every later call.
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, server.Endpoint, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, server.Endpoint, token));

        // A wrong secret for a cached key id never matches the cache.
        var (_, other) = await store.CreateAsync("other", ["reader"], null, null, Ct);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, server.Endpoint, other));
        var forged = other[..^4] + (other[^4..] == "aaaa" ? "bbbb" : "aaaa");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, server.Endpoint, forged));
    }

    [Fact]
    public async Task AtCapacity_ARequestIsRefusedAtOnceWithRetryAfter_HealthStillAnswers_AndServiceResumes()
    {
        var gate = new BlockingTool.Gate();
        await using var server = await McpTestServer.StartAsync(
            fixture.Storage,
            new() { ["Http:Admission:MaxConcurrentRequests"] = "1", ["Http:Admission:QueueLimit"] = "0", ["Http:Admission:RetryAfterSeconds"] = "2" },
            builder =>
            {
                builder.Services.AddSingleton(gate);
                builder.Services.AddMcpServer().WithTools<BlockingTool>();
            },
            Ct);
        var token = await McpTestServer.CreateKeyAsync(fixture.Storage, ["reader"], cancellationToken: Ct);
        using var http = new HttpClient();

        // One call holds the only slot.
        var held = http.SendAsync(Request(server.Endpoint, token, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"hold","arguments":{}}}"""), Ct);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        using (var refused = await http.SendAsync(Request(server.Endpoint, token, """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Equal("overloaded", body.RootElement.GetProperty("error").GetString());
            Assert.Contains("retry after 2 s", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var health = await http.GetAsync(new Uri(server.Endpoint, "/health"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        gate.Release.SetResult();
        using (var done = await held)
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Contains("held", await done.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, server.Endpoint, token));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri endpoint, string token)
    {
        using var response = await http.SendAsync(Request(endpoint, token, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"""), Ct);
        return response.StatusCode;
    }

    private static HttpRequestMessage Request(Uri endpoint, string token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    [McpServerToolType]
    public sealed class BlockingTool(BlockingTool.Gate gate)
    {
        [McpServerTool(Name = "hold", ReadOnly = true), Description("Holds its request until the test releases it.")]
        [RequiresPermission(Permissions.NeuralDataRead)]
        public async Task<string> Hold()
        {
            gate.Entered.TrySetResult();
            await gate.Release.Task.ConfigureAwait(false);
            return "held";
        }

        public sealed class Gate
        {
            public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// What the SDK cannot read, and who may not get in: malformed JSON-RPC that used to fail inside the SDK (HTTP 500,
/// stack traces in the log, no audit entry), oversized bodies, and requests without a valid credential — each answered
/// with what was wrong, audited, and logged without a stack trace; guessing keys is rate-limited per address.
/// </summary>
public sealed class ProtocolFaultTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_sessions","arguments":[1,2]}}""", "params.arguments must be an object", "query_sessions")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"query_sessions","arguments":{"patient_id":"\ud800"}}}""", "'patient_id' contains an unpaired UTF-16 surrogate", "query_sessions")]
    [InlineData("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"x"}""", "'params' must be an object, not a string", "?")]
    [InlineData("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"arguments":{}}}""", "tools/call needs params.name", "?")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"initialize","params":{}}""", "initialize needs params.protocolVersion", null)]
    public async Task AMessageTheSdkCannotBind_GetsInvalidParamsSayingWhy_IsAudited_AndLogsNoStackTrace(string body, string expected, string? auditedTool)
    {
        var (storage, key) = await StorageWithKeyAsync();
        var logs = new CapturingLoggerProvider();
        await using (var mcp = await McpTestServer.StartAsync(storage, new(), builder => builder.Logging.AddProvider(logs), Ct))
        {
            using var response = await PostAsync(mcp.Endpoint, key, body);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal(-32602, answer.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Contains(expected, answer.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32(), answer.RootElement.GetProperty("id").GetInt32());
        }

        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        var audited = (await AuditLines.ReadAsync(storage, Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        if (auditedTool is null)
        {
            Assert.Empty(audited);
        }
        else
        {
            var entry = Assert.Single(audited);
            Assert.Equal("tools/call:" + auditedTool, entry.GetProperty("action").GetString());
            Assert.Equal("invalid_request", entry.GetProperty("outcome").GetString());
            Assert.StartsWith("key:", entry.GetProperty("caller").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413WithAMessage_AndNotAnUnhandledException()
    {
        var (storage, key) = await StorageWithKeyAsync();
        var logs = new CapturingLoggerProvider();
        await using var mcp = await McpTestServer.StartAsync(storage, new(), builder => builder.Logging.AddProvider(logs), Ct);
        var big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"query_sessions\",\"arguments\":{\"cursor\":\"" + new string('a', 2 * 1024 * 1024) + "\"}}}";

        using var declared = await PostAsync(mcp.Endpoint, key, big);
        using var streamed = await PostAsync(mcp.Endpoint, key, big, chunked: true);

        foreach (var response in new[] { declared, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("Http:MaxRequestBodyBytes", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestsWithoutAValidCredential_AreAudited_AndPastTheLimitTheAddressGets429_WhileValidKeysStillWork()
    {
        var (storage, key) = await StorageWithKeyAsync();
        await using var mcp = await McpTestServer.StartAsync(storage, new() { ["Security:RateLimits:AuthenticationFailures"] = "3" }, Ct);
        const string ListTools = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

        var statuses = new List<HttpStatusCode>();
        foreach (var guess in new[] { "nsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", null, "nsk_cccccccccccc_dddddddddddddddddddddddddddddddd", "nsk_eeeeeeeeeeee_ffffffffffffffffffffffffffffffff" })
        {
            using var response = await PostAsync(mcp.Endpoint, guess, ListTools);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
                Assert.Contains("Too many requests without a valid credential", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        using (var valid = await PostAsync(mcp.Endpoint, key, ListTools))
        {
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        }

        var outcomes = (await AuditLines.ReadAsync(storage, Ct)).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("action").GetString() == "authenticate:/mcp").Select(e => e.GetProperty("outcome").GetString()).ToArray();
        Assert.Equal(["unauthenticated", "unauthenticated", "unauthenticated", "rate_limited"], outcomes);
    }

    private async Task<(StorageOptions Storage, string Key)> StorageWithKeyAsync()
    {
        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        return (storage, await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct));
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri endpoint, string? key, string body, bool chunked = false)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (chunked)
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", key);
        }

        return await http.SendAsync(request, Ct);
    }
}

using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using ModelContextProtocol.Protocol;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>The audit log as an auditor sees it: every call recorded, arguments hashed, tampering found.</summary>
public sealed class AuditTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Structured(CallToolResult result) => JsonSerializer.SerializeToElement(result.StructuredContent);

    [Fact]
    public async Task EveryCall_IsAudited_AndAnEditedEntryIsFoundByTheToolAndTheCli()
    {
        var auditorKey = await McpTestServer.CreateKeyAsync(server.Storage, ["auditor"], cancellationToken: Ct);
        var readerKey = await McpTestServer.CreateKeyAsync(server.Storage, ["reader"], cancellationToken: Ct);
        await using var auditor = await McpTestServer.ConnectAsync(server.Endpoint, auditorKey, Ct);
        await using var reader = await McpTestServer.ConnectAsync(server.Endpoint, readerKey, Ct);

        await reader.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["end_time"] = 0.05 }, cancellationToken: Ct);
        await reader.CallToolAsync("verify_audit_log", new Dictionary<string, object?>(), cancellationToken: Ct); // forbidden for a reader
        var intact = Structured(await auditor.CallToolAsync("verify_audit_log", new Dictionary<string, object?>(), cancellationToken: Ct));
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.GetProperty("detail").GetString());

        // What was recorded: who, what, which resource, outcome, latency; arguments only as a hash.
        var lines = await AuditLines.ReadAsync(server.Storage, Ct);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var read = entries.Last(e => e.GetProperty("action").GetString() == "tools/call:get_neural_data" && e.GetProperty("caller").GetString()!.StartsWith("key:", StringComparison.Ordinal));
        Assert.Equal("ok", read.GetProperty("outcome").GetString());
        Assert.Contains(server.EegSession.Id.Value, read.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        Assert.Matches("^[0-9a-f]{64}$", read.GetProperty("argumentsHash").GetString()!);
        Assert.True(read.GetProperty("latencyMs").GetDouble() > 0);
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "tools/call:verify_audit_log" && e.GetProperty("outcome").GetString() == "forbidden");
        Assert.DoesNotContain("end_time", string.Join('\n', lines), StringComparison.Ordinal);

        // Tamper with that entry in storage, as someone with write access to the account could.
        var writer = read.GetProperty("writer").GetString()!;
        var victim = read.GetProperty("sequence").GetInt64();
        var blob = StorageServiceCollectionExtensions.CreateClients(server.Storage).Blobs.GetBlobContainerClient(server.Storage.AuditContainer).GetAppendBlobClient(AuditLines.SegmentName(writer, 1));
        var segment = (await blob.DownloadContentAsync(Ct)).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(segment, l => l.Contains($"\"sequence\":{victim},", StringComparison.Ordinal));
        var edited = System.Text.RegularExpressions.Regex.Replace(segment[index], "\"latencyMs\":[0-9.]+", "\"latencyMs\":0.001");
        Assert.NotEqual(segment[index], edited);
        segment[index] = edited;
        await blob.DeleteAsync(cancellationToken: Ct);
        await blob.CreateAsync(cancellationToken: Ct);
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', segment) + "\n")))
        {
            await blob.AppendBlockAsync(stream, cancellationToken: Ct);
        }

        var broken = Structured(await auditor.CallToolAsync("verify_audit_log", new Dictionary<string, object?>(), cancellationToken: Ct));
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(victim, broken.GetProperty("first_broken_sequence").GetInt64());
        Assert.Equal(writer, broken.GetProperty("first_broken_writer").GetString());

        var cli = await RunAuditVerifyAsync();
        Assert.Equal(1, cli.Exit);
        Assert.Contains($"BROKEN at entry {victim} of writer {writer}", cli.Output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAuditVerifyAsync()
    {
        var (exit, output, _) = await McpCli.RunAsync(server.Storage, ["audit", "verify"], Ct);
        return (exit, output);
    }
}

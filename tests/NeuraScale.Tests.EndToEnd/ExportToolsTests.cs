using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Azure.Storage.Blobs.Specialized;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>export_neural_data, get_job_status and cancel_job through the official MCP client, with downloads over plain HTTP.</summary>
public sealed class ExportToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static readonly HttpClient Http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.False(result.IsError == true, "tool error: " + Text(result));
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments, IProgress<ProgressNotificationValue>? progress = null, string? apiKey = null)
    {
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, apiKey ?? server.ApiKey, Ct);
        return await client.CallToolAsync(tool, arguments, progress, cancellationToken: Ct);
    }

    private static async Task<byte[]> DownloadAsync(JsonElement result)
    {
        var bytes = await Http.GetByteArrayAsync(result.GetProperty("download_url").GetString(), Ct);
        Assert.Equal(result.GetProperty("file_size").GetInt64(), bytes.Length);
        Assert.Equal(result.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return bytes;
    }

    [Fact]
    public async Task SmallExport_FinishesInTheCall_WithA24HourLinkToAnEdfFile()
    {
        var before = DateTimeOffset.UtcNow;
        var result = Structured(await CallAsync("export_neural_data", new()
        {
            ["session_id"] = server.EegSession.Id.Value, ["format"] = "EDF", ["channels"] = new object[] { "O1", "O2", 0 }, ["start_time"] = 5, ["end_time"] = 15,
        }));

        Assert.Equal("succeeded", result.GetProperty("status").GetString());
        Assert.Equal(["O1", "O2", server.EegSession.Channels[0].Name], result.GetProperty("channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2500, result.GetProperty("n_samples").GetInt64());
        Assert.EndsWith("_5-15s.edf", result.GetProperty("file_name").GetString(), StringComparison.Ordinal);
        var expires = result.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires, before.AddHours(24).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        var bytes = await DownloadAsync(result);
        Assert.Equal("0       ", System.Text.Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.Equal("EDF+C", System.Text.Encoding.ASCII.GetString(bytes, 192, 5));
    }

    [Fact]
    public async Task LargeExport_RunsAsAQueuedJob_WithProgress_AndTheSameRequestReturnsTheSameJob()
    {
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["format"] = "parquet", ["wait_seconds"] = 45 };
        var notifications = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(notifications);
        var first = Structured(await CallAsync("export_neural_data", arguments, progress));
        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        Assert.False(first.GetProperty("existing").GetBoolean());
        await progress.WaitUntilAsync(n => n.Count > 0, Ct);
        Assert.All(notifications, n => Assert.Equal(100, n.Total));
        await DownloadAsync(first);

        var again = Structured(await CallAsync("export_neural_data", arguments));
        Assert.Equal(first.GetProperty("job_id").GetString(), again.GetProperty("job_id").GetString());
        Assert.True(again.GetProperty("existing").GetBoolean());
        Assert.Equal(first.GetProperty("sha256").GetString(), again.GetProperty("sha256").GetString());

        var status = Structured(await CallAsync("get_job_status", new() { ["job_id"] = first.GetProperty("job_id").GetString(), ["link_expiry_hours"] = 1 }));
        Assert.InRange(status.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        await DownloadAsync(status);

        // Every link handed out is in the audit log, with the job and the blob.
        var lines = await AuditLines.ReadAsync(server.Storage, Ct);
        var jobId = first.GetProperty("job_id").GetString()!;
        Assert.Equal(3, lines.Count(l => l.Contains("export/download_link", StringComparison.Ordinal) && l.Contains(jobId, StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("export/request", StringComparison.Ordinal) && l.Contains(jobId, StringComparison.Ordinal) && l.Contains("\"created\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoWait_ReturnsAJobHandle_ThatTheSameKeyAwaits_AndGetJobStatusDelivers()
    {
        var arguments = new Dictionary<string, object?>
        {
            ["session_id"] = server.EegSession.Id.Value, ["format"] = "csv", ["wait_seconds"] = 0, ["idempotency_key"] = Guid.NewGuid().ToString(),
        };
        var handle = Structured(await CallAsync("export_neural_data", arguments));
        var jobId = handle.GetProperty("job_id").GetString()!;
        Assert.Matches("^job_[a-z2-7]{20}$", jobId);
        Assert.Contains(handle.GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });

        // Asking again with the same key attaches to the same job and waits for it.
        arguments["wait_seconds"] = 45;
        var done = Structured(await CallAsync("export_neural_data", arguments));
        Assert.Equal(jobId, done.GetProperty("job_id").GetString());
        Assert.True(done.GetProperty("existing").GetBoolean());
        Assert.Equal("succeeded", done.GetProperty("status").GetString());

        var status = Structured(await CallAsync("get_job_status", new() { ["job_id"] = jobId }));
        Assert.Equal("succeeded", status.GetProperty("status").GetString());
        var csv = System.Text.Encoding.UTF8.GetString(await DownloadAsync(status));
        Assert.StartsWith("time_s,", csv, StringComparison.Ordinal);
        var events = Assert.Single(status.GetProperty("additional_files").EnumerateArray());
        Assert.Equal("events", events.GetProperty("role").GetString());
        Assert.StartsWith("onset_s,duration_s,label", await Http.GetStringAsync(events.GetProperty("download_url").GetString(), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelJob_StopsAQueuedExport_AndTheSameRequestStartsItAfresh()
    {
        // A server whose jobs go to a queue no worker reads: the job stays queued until cancelled (no race with a worker).
        var configuration = new Dictionary<string, string?>(McpServerFixture.JobSettings)
        {
            ["Jobs:RunInProcess"] = "false",
            ["Storage:JobsQueue"] = "jobs-unattended-" + Guid.NewGuid().ToString("N")[..8],
        };
        await using var unattended = await McpTestServer.StartAsync(server.Storage, configuration, Ct);
        await using var client = await McpTestServer.ConnectAsync(unattended.Endpoint, server.ApiKey, Ct);
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["format"] = "fif", ["wait_seconds"] = 0, ["idempotency_key"] = Guid.NewGuid().ToString() };

        var handle = Structured(await client.CallToolAsync("export_neural_data", arguments, cancellationToken: Ct));
        Assert.Equal("queued", handle.GetProperty("status").GetString());
        var cancelled = Structured(await client.CallToolAsync("cancel_job", new Dictionary<string, object?> { ["job_id"] = handle.GetProperty("job_id").GetString() }, cancellationToken: Ct));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Null(cancelled.GetProperty("download_url").GetString());

        var again = Structured(await client.CallToolAsync("export_neural_data", arguments, cancellationToken: Ct));
        Assert.Equal(handle.GetProperty("job_id").GetString(), again.GetProperty("job_id").GetString());
        Assert.Equal("queued", again.GetProperty("status").GetString());
        Assert.False(again.GetProperty("existing").GetBoolean()); // restarted, not the cancelled one
    }

    [Fact]
    public async Task ExportWhoseFilesTheRetentionRuleDeleted_IsExpired_AndTheSameRequestWritesItAgain()
    {
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["format"] = "bdf", ["end_time"] = 4, ["idempotency_key"] = Guid.NewGuid().ToString() };
        var first = Structured(await CallAsync("export_neural_data", arguments));
        var jobId = first.GetProperty("job_id").GetString()!;
        var exports = StorageServiceCollectionExtensions.CreateClients(server.Storage).ExportsContainer;
        await exports.DeleteBlobAsync($"{jobId}/{first.GetProperty("file_name").GetString()}", cancellationToken: Ct); // what the 8-day lifecycle rule does

        var expired = Structured(await CallAsync("get_job_status", new() { ["job_id"] = jobId }));
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Null(expired.GetProperty("download_url").GetString());
        Assert.Contains("Call export_neural_data with the same request", expired.GetProperty("message").GetString(), StringComparison.Ordinal);

        var again = Structured(await CallAsync("export_neural_data", arguments));
        Assert.Equal(jobId, again.GetProperty("job_id").GetString());
        Assert.False(again.GetProperty("existing").GetBoolean());
        Assert.Equal("succeeded", again.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await DownloadAsync(again))));
    }

    [Theory]
    [InlineData("format", "xlsx", "use one of: edf, bdf, mat, csv, parquet, fif")]
    [InlineData("downsample_factor", 0, "downsample_factor must be an integer from 1")]
    [InlineData("link_expiry_hours", 200, "at most 168")]
    [InlineData("wait_seconds", 600, "wait_seconds must be 0–50")]
    [InlineData("channels", new object[] { "Xz" }, "Xz")]
    public async Task BadArguments_AreToolErrorsSayingWhatIsAllowed(string name, object value, string expected)
    {
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["format"] = "edf", [name] = value };
        var result = await CallAsync("export_neural_data", arguments);
        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKey_ReusedForADifferentExport_IsRefused()
    {
        var key = Guid.NewGuid().ToString();
        Structured(await CallAsync("export_neural_data", new() { ["session_id"] = server.EegSession.Id.Value, ["format"] = "mat", ["end_time"] = 2, ["idempotency_key"] = key }));
        var reused = await CallAsync("export_neural_data", new() { ["session_id"] = server.EegSession.Id.Value, ["format"] = "fif", ["end_time"] = 2, ["idempotency_key"] = key });
        Assert.True(reused.IsError);
        Assert.Contains("was already used for a different export", Text(reused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCallersJob_ReadsAsMissing()
    {
        var mine = Structured(await CallAsync("export_neural_data", new() { ["session_id"] = server.EegSession.Id.Value, ["format"] = "mat", ["end_time"] = 3 }));
        var otherKey = await McpTestServer.CreateKeyAsync(server.Storage, ["researcher"], cancellationToken: Ct);
        foreach (var tool in new[] { "get_job_status", "cancel_job" })
        {
            var theirs = await CallAsync(tool, new() { ["job_id"] = mine.GetProperty("job_id").GetString() }, apiKey: otherKey);
            Assert.True(theirs.IsError);
            Assert.Contains("does not exist among your jobs", Text(theirs), StringComparison.Ordinal);
        }
    }
}

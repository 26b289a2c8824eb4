using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Domain;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>import_recording through the official MCP client: upload link, queued import, and every refusal in words.</summary>
public sealed class ImportToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static readonly HttpClient Http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static JsonElement Json(CallToolResult result) => JsonSerializer.SerializeToElement(result.StructuredContent);

    private async Task<CallToolResult> CallAsync(Dictionary<string, object?> arguments, string? apiKey = null)
    {
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, apiKey ?? server.ApiKey, Ct);
        return await client.CallToolAsync("import_recording", arguments, cancellationToken: Ct);
    }

    /// <summary>Asks for a link and PUTs <paramref name="bytes"/> to it; returns the upload id.</summary>
    private async Task<string> UploadAsync(PatientPseudonym patient, byte[] bytes, string? apiKey = null)
    {
        var ticket = await CallAsync(new() { ["patient"] = patient.Value }, apiKey);
        Assert.False(ticket.IsError == true, Text(ticket));
        var json = Json(ticket);
        Assert.Contains("x-ms-blob-type: BlockBlob", json.GetProperty("upload_command").GetString(), StringComparison.Ordinal);
        using var put = new HttpRequestMessage(HttpMethod.Put, json.GetProperty("upload_url").GetString()) { Content = new ByteArrayContent(bytes) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        (await Http.SendAsync(put, Ct)).EnsureSuccessStatusCode();
        return json.GetProperty("upload_id").GetString()!;
    }

    [Fact]
    public async Task RealEdf_IsImportedByAQueuedJob_AsASessionWithTheFilesClock_AndRepeatingFindsIt()
    {
        var patient = PatientPseudonym.New();
        var bytes = await File.ReadAllBytesAsync(RepositoryPaths.EegMmiDb("S001R01.edf"), Ct);
        var uploadId = await UploadAsync(patient, bytes);

        var result = await CallAsync(new() { ["patient"] = patient.Value, ["upload_id"] = uploadId, ["description"] = "resting, eyes open" });

        Assert.False(result.IsError == true, Text(result));
        var json = Json(result);
        Assert.Equal("succeeded", json.GetProperty("status").GetString());
        Assert.StartsWith("job_", json.GetProperty("job_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("EDF+", json.GetProperty("format").GetString());
        Assert.Equal(60, json.GetProperty("duration_s").GetDouble());
        Assert.Equal(new DateTimeOffset(2009, 8, 12, 16, 15, 0, TimeSpan.Zero), json.GetProperty("start_time").GetDateTimeOffset());
        Assert.Equal("FC5", json.GetProperty("channels")[0].GetProperty("name").GetString());
        Assert.Equal("eeg", json.GetProperty("channels")[0].GetProperty("type").GetString());
        Assert.Contains("from 2009-08-12 16:15:00 (the file's clock)", Text(result), StringComparison.Ordinal);
        var sessionId = json.GetProperty("session_id").GetString()!;

        // The session is there for the tools, under the patient, with the file's start time; the upload is gone.
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, server.ApiKey, Ct);
        var sessions = Json(await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = patient.Value }, cancellationToken: Ct));
        var session = Assert.Single(sessions.GetProperty("sessions").EnumerateArray());
        Assert.Equal(sessionId, session.GetProperty("session_id").GetString());

        var status = Json(await client.CallToolAsync("get_job_status", new Dictionary<string, object?> { ["job_id"] = json.GetProperty("job_id").GetString() }, cancellationToken: Ct));
        Assert.Equal("import", status.GetProperty("kind").GetString());
        Assert.Equal(sessionId, status.GetProperty("details").GetProperty("session_id").GetString());

        var again = Json(await CallAsync(new() { ["patient"] = patient.Value, ["upload_id"] = uploadId, ["description"] = "resting, eyes open" }));
        Assert.Equal(sessionId, again.GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task DamagedEdf_IsRefusedSayingWhatIsWrong_AndNothingIsImported()
    {
        var patient = PatientPseudonym.New();
        var damaged = DamagedEdf.LineEndingsConverted(await File.ReadAllBytesAsync(RepositoryPaths.EegMmiDb("S001R02.edf"), Ct));
        var uploadId = await UploadAsync(patient, damaged);

        var result = await CallAsync(new() { ["patient"] = patient.Value, ["upload_id"] = uploadId });

        Assert.True(result.IsError, Text(result));
        Assert.Contains("nothing was stored", Text(result), StringComparison.Ordinal);
        Assert.Contains("outside their signal's digital range", Text(result), StringComparison.Ordinal);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, server.ApiKey, Ct);
        var sessions = Json(await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = patient.Value }, cancellationToken: Ct));
        Assert.Empty(sessions.GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task AnotherCallersUpload_CannotBeImported()
    {
        var patient = PatientPseudonym.New();
        var uploadId = await UploadAsync(patient, await File.ReadAllBytesAsync(RepositoryPaths.EegMmiDb("S001R01.edf"), Ct));
        var otherKey = await McpTestServer.CreateKeyAsync(server.Storage, ["clinician"], cancellationToken: Ct);

        var result = await CallAsync(new() { ["patient"] = patient.Value, ["upload_id"] = uploadId }, otherKey);

        Assert.True(result.IsError);
        Assert.Contains("Nothing was uploaded for " + uploadId, Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("John Smith", null, "is not a patient pseudonym")]
    [InlineData("psn_abcdefghijklmnop", "upl_../../signals", "is not an upload id")]
    [InlineData("psn_abcdefghijklmnop", "upl_abcdefghijklmnopqrst", "Nothing was uploaded for upl_abcdefghijklmnopqrst")]
    public async Task BadArguments_AreRefusedWithWhatIsAllowed(string patient, string? uploadId, string expected)
    {
        var arguments = new Dictionary<string, object?> { ["patient"] = patient };
        if (uploadId is not null)
        {
            arguments["upload_id"] = uploadId;
        }

        var result = await CallAsync(arguments);

        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportNeedsItsPermission()
    {
        var researcher = await McpTestServer.CreateKeyAsync(server.Storage, ["researcher"], cancellationToken: Ct);

        var result = await CallAsync(new() { ["patient"] = "psn_abcdefghijklmnop" }, researcher);

        Assert.True(result.IsError);
        Assert.Contains("neural_data.import", Text(result), StringComparison.Ordinal);
    }
}

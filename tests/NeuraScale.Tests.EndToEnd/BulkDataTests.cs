using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Domain;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The bulk read path through the running server: get_neural_data links a large window, the link serves a .npy file that
/// NumPy (Debian's) reads as the same samples the JSON pages hold, and the link is guarded like a tool call.
/// </summary>
public sealed class BulkDataTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static HttpRequestMessage Get(string url, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    private string Link(string query) => new Uri(server.Endpoint, $"/data/sessions/{server.EegSession.Id}.npy{query}").ToString();

    [Fact]
    public async Task ALargeWindow_IsLinked_AndNumpyReadsTheSamplesThePagesHold()
    {
        await using var client = await server.ConnectAsync(Ct);
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["start_time"] = 2.5, ["end_time"] = 22.5 };

        var first = Structured(await client.CallToolAsync("get_neural_data", arguments, cancellationToken: Ct));
        Assert.True(first.GetProperty("truncated").GetBoolean());
        var bulk = first.GetProperty("bulk_download");
        Assert.Equal([8, 5000], bulk.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        var url = bulk.GetProperty("url").GetString()!;
        Assert.StartsWith(server.Endpoint.GetLeftPart(UriPartial.Authority) + "/data/sessions/" + server.EegSession.Id + ".npy?", url, StringComparison.Ordinal);

        // The JSON pages, followed to the end: what the bulk file must equal.
        var pages = Enumerable.Range(0, 8).Select(_ => new List<float>()).ToArray();
        var page = first;
        while (true)
        {
            var rows = page.GetProperty("data").EnumerateArray().ToArray();
            for (var c = 0; c < 8; c++)
            {
                pages[c].AddRange(rows[c].EnumerateArray().Select(v => v.GetSingle()));
            }

            if (!page.GetProperty("truncated").GetBoolean())
            {
                break;
            }

            arguments["start_time"] = page.GetProperty("next_start_time_s").GetDouble();
            page = Structured(await client.CallToolAsync("get_neural_data", arguments, cancellationToken: Ct));
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(Get(url, server.ApiKey), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(bulk.GetProperty("bytes").GetInt64(), bytes.Length);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("Fp1,Fp2,C3,C4,P7,P8,O1,O2", response.Headers.GetValues("X-NeuraScale-Channels").Single());

        // NumPy reads it; its channel-major copy must be the pages' values, float for float.
        var directory = Directory.CreateTempSubdirectory("bulk-");
        try
        {
            var npy = Path.Combine(directory.FullName, "window.npy");
            var raw = Path.Combine(directory.FullName, "window.f32");
            await File.WriteAllBytesAsync(npy, bytes, Ct);
            var described = await RunPythonAsync(
                "import numpy, sys, json; a = numpy.load(sys.argv[1]); a.astype('<f4').tofile(sys.argv[2]); "
                + "print(json.dumps({'shape': a.shape, 'dtype': str(a.dtype), 'fortran': bool(numpy.isfortran(a))}))",
                npy, raw);
            using var description = JsonDocument.Parse(described);
            Assert.Equal([8, 5000], description.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("float32", description.RootElement.GetProperty("dtype").GetString());
            Assert.True(description.RootElement.GetProperty("fortran").GetBoolean());

            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(raw, Ct));
            for (var c = 0; c < 8; c++)
            {
                Assert.Equal(5000, pages[c].Count);
                Assert.True(values.Slice(c * 5000, 5000).SequenceEqual(pages[c].ToArray()), $"channel {c} differs from get_neural_data");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var audit = await AuditLines.ReadAsync(server.Storage, Ct);
        Assert.Contains(audit, l => l.Contains("\"bulk/read_npy\"", StringComparison.Ordinal) && l.Contains(server.EegSession.Id.Value, StringComparison.Ordinal) && l.Contains("\"ok\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASmallWindow_StaysInline_WithoutALink()
    {
        await using var client = await server.ConnectAsync(Ct);

        var result = Structured(await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["channels"] = new[] { "O1" }, ["end_time"] = 2 }, cancellationToken: Ct));

        Assert.False(result.GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("bulk_download").ValueKind);
    }

    [Fact]
    public async Task TheLink_IsGuardedLikeAToolCall()
    {
        using var http = new HttpClient();
        var auditor = await McpTestServer.CreateKeyAsync(server.Storage, ["auditor"], cancellationToken: Ct);
        var outsider = await McpTestServer.CreateKeyAsync(server.Storage, ["researcher"], [PatientPseudonym.New()], Ct);

        async Task<(HttpStatusCode Status, string Body)> GetAsync(string query, string? key)
        {
            using var response = await http.SendAsync(Get(Link(query), key), Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("", "nsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")).Status);

        var forbidden = await GetAsync("", auditor);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("needs the permission 'neural_data.read'", forbidden.Body, StringComparison.Ordinal);

        var outOfScope = await GetAsync("", outsider);
        Assert.Equal(HttpStatusCode.NotFound, outOfScope.Status);
        Assert.Contains("does not exist", outOfScope.Body, StringComparison.Ordinal);

        foreach (var (query, expected) in new[]
        {
            ("?start_time=soon", "start_time must be a number of seconds from the start of the recording, e.g. 12.5; got 'soon'"),
            ("?start_time=1&start_time=2", "start_time is given 2 times; give it once"),
            ("?downsample=4", "'downsample' is not a parameter of this link; allowed: channels, start_time, end_time"),
            ("?channels=O1,T9", "T9"),
            ("?start_time=40", "start_time must be from 0 up to (not including) the recorded duration"),
        })
        {
            var (status, body) = await GetAsync(query, server.ApiKey);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(expected, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }

        var audit = await AuditLines.ReadAsync(server.Storage, Ct);
        Assert.Contains(audit, l => l.Contains("\"bulk/read_npy\"", StringComparison.Ordinal) && l.Contains("\"forbidden\"", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("\"bulk/read_npy\"", StringComparison.Ordinal) && l.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("/data/sessions/", StringComparison.Ordinal) && l.Contains("\"unauthenticated\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLink_SpendsTheCallersRateLimit_AndRespectsTheBulkCap()
    {
        var settings = new Dictionary<string, string?>(McpTestServer.QuietLogging) { ["Security:RateLimits:Default"] = "3", ["NeuralData:MaxBulkValues"] = "20000" };
        await using var limited = await McpTestServer.StartAsync(server.Storage, settings, Ct);
        var key = await McpTestServer.CreateKeyAsync(server.Storage, ["researcher"], cancellationToken: Ct);
        using var http = new HttpClient();
        var url = new Uri(limited.Endpoint, $"/data/sessions/{server.EegSession.Id}.npy").ToString();

        using (var tooBig = await http.SendAsync(Get(url, key), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
            Assert.Contains("more than the 20,000 values one bulk read may return; ask for at most 10 s", await tooBig.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        for (var i = 0; i < 2; i++)
        {
            using var ok = await http.SendAsync(Get(url + "?end_time=10", key), Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await http.SendAsync(Get(url + "?end_time=10", key), Ct);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("at most 3 calls per minute", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task<string> RunPythonAsync(string code, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, await errors);
        return await output;
    }
}

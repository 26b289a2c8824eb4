using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Mcp.Servers.NeuralData.Viewer;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd.Viewer;

/// <summary>
/// The viewer's tools and app resource through the official client: declared as an MCP App as the extension asks,
/// pages that carry exactly the stored samples, refusals in words for bad settings, and the caller's permissions,
/// patient scope and audit applied to the app's own calls.
/// </summary>
public sealed class EegViewerToolsTests(EegViewerFixture fixture) : IClassFixture<EegViewerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    [Fact]
    public async Task TheViewer_IsAnMcpApp_ItsToolLinksAUiResource_AndItsPageToolsAreForTheAppOnly()
    {
        await using var client = await fixture.ConnectAsync(Ct);
        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        var ui = tools["view_recording"].Meta!["ui"]!;
        Assert.Equal(ViewerApp.Uri, ui["resourceUri"]!.GetValue<string>());
        Assert.Null(ui["visibility"]);
        foreach (var appOnly in new[] { "read_viewer_page", "list_viewer_events" })
        {
            Assert.Equal(["app"], tools[appOnly].Meta!["ui"]!["visibility"]!.AsArray().Select(v => v!.GetValue<string>()));
        }

        var listed = Assert.Single(await client.ListResourcesAsync(cancellationToken: Ct));
        Assert.Equal(ViewerApp.Uri, listed.Uri);
        Assert.Equal("text/html;profile=mcp-app", listed.MimeType);

        var read = await client.ReadResourceAsync(ViewerApp.Uri, cancellationToken: Ct);
        var html = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal("text/html;profile=mcp-app", html.MimeType);
        Assert.Empty(html.Meta!["ui"]!["csp"]!["connectDomains"]!.AsArray());
        Assert.Empty(html.Meta!["ui"]!["csp"]!["resourceDomains"]!.AsArray());
        Assert.Contains("ui/initialize", html.Text, StringComparison.Ordinal);

        // Self-contained: no script, style or image is fetched from anywhere.
        Assert.DoesNotMatch("<script[^>]+src=|<link[^>]+href=|https?://(?!www\\.w3\\.org)", html.Text);
    }

    [Fact]
    public async Task APage_CarriesTheStoredSamples_AsFloat32_AndTheModalityDefaultsApply()
    {
        await using var client = await fixture.ConnectAsync(Ct);
        var session = fixture.EyesClosed.Id.Value;

        var opened = Structured(await client.CallToolAsync("view_recording", new Dictionary<string, object?> { ["session_id"] = session }, cancellationToken: Ct));
        Assert.Equal("bipolar", opened.GetProperty("view").GetProperty("montage").GetString());
        Assert.Equal(0.5, opened.GetProperty("view").GetProperty("high_pass_hz").GetDouble());
        Assert.Equal(70, opened.GetProperty("view").GetProperty("low_pass_hz").GetDouble());
        Assert.Equal(7, opened.GetProperty("view").GetProperty("sensitivity_uv_per_mm").GetDouble());
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("view").GetProperty("notch_hz").ValueKind);
        Assert.Equal(18, opened.GetProperty("traces").GetArrayLength());

        // Referential and unfiltered, a page is the stored samples: the same as get_neural_data's JSON, to float32.
        var page = Structured(await client.CallToolAsync("read_viewer_page", new Dictionary<string, object?> { ["session_id"] = session, ["start_seconds"] = 5, ["page_seconds"] = 2, ["montage"] = "referential" }, cancellationToken: Ct));
        var samples = page.GetProperty("sample_count").GetInt32();
        Assert.Equal(320, samples);
        var values = new float[page.GetProperty("traces").GetArrayLength() * samples];
        Buffer.BlockCopy(Convert.FromBase64String(page.GetProperty("data").GetString()!), 0, values, 0, values.Length * sizeof(float));
        var data = Structured(await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = session, ["start_time"] = 5, ["end_time"] = 7, ["channels"] = new[] { "O1", "Cz" } }, cancellationToken: Ct));
        var traces = page.GetProperty("traces").EnumerateArray().Select(t => t.GetString()).ToList();
        var rows = data.GetProperty("data").EnumerateArray().ToArray();
        foreach (var (name, row) in new[] { "O1", "Cz" }.Zip(rows))
        {
            var offset = traces.IndexOf(name) * samples;
            var expected = row.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            Assert.Equal(expected, values[offset..(offset + samples)]);
        }

        // An ECG opens referential, at 10 mm/mV, with the monitoring band.
        var ecg = Structured(await client.CallToolAsync("view_recording", new Dictionary<string, object?> { ["session_id"] = fixture.Ecg.Id.Value }, cancellationToken: Ct));
        Assert.Equal("referential", ecg.GetProperty("view").GetProperty("montage").GetString());
        Assert.Equal(100, ecg.GetProperty("view").GetProperty("sensitivity_uv_per_mm").GetDouble());
        Assert.Equal(40, ecg.GetProperty("view").GetProperty("low_pass_hz").GetDouble());

        // Events are listed from where the app asks, with how far the listing looked.
        var events = Structured(await client.CallToolAsync("list_viewer_events", new Dictionary<string, object?> { ["session_id"] = fixture.Simulated.Id.Value }, cancellationToken: Ct));
        Assert.Equal(fixture.Simulated.EventCount, events.GetProperty("events").GetArrayLength());
        Assert.Equal(40, events.GetProperty("scanned_to_seconds").GetDouble());
    }

    [Fact]
    public async Task EventsOfALongRecording_AreListedTenMinutesAtATime_UntilTheEnd()
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 2, SamplingRateHz = 128, Seed = 6, Speed = 10_000 });
        var session = await TestRecorder.RecordAsync(StorageServiceCollectionExtensions.CreateClients(fixture.Storage), amp, fixture.Patient, 660, Ct);
        await using var client = await fixture.ConnectAsync(Ct);

        var first = Structured(await client.CallToolAsync("list_viewer_events", new Dictionary<string, object?> { ["session_id"] = session.Id.Value }, cancellationToken: Ct));
        Assert.Equal(600, first.GetProperty("scanned_to_seconds").GetDouble());
        Assert.Equal(660, first.GetProperty("recording_seconds").GetDouble());
        var rest = Structured(await client.CallToolAsync("list_viewer_events", new Dictionary<string, object?> { ["session_id"] = session.Id.Value, ["from_seconds"] = 600 }, cancellationToken: Ct));
        Assert.Equal(660, rest.GetProperty("scanned_to_seconds").GetDouble());

        var onsets = first.GetProperty("events").EnumerateArray().Concat(rest.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("onset_seconds").GetDouble()).ToArray();
        Assert.Equal(session.EventCount, onsets.Length);
        Assert.All(first.GetProperty("events").EnumerateArray(), e => Assert.InRange(e.GetProperty("onset_seconds").GetDouble(), 0, 600));
        Assert.Equal(onsets.Order(), onsets);
    }

    [Theory]
    [InlineData("montage", "banana", "montage 'banana' is not known; use referential (as recorded), average (average reference) or bipolar")]
    [InlineData("sensitivity_uv_per_mm", 0.1, "sensitivity_uv_per_mm must be 0.5–5000 µV/mm")]
    [InlineData("high_pass_hz", 40, "high_pass_hz (40) must be below low_pass_hz (35)")]
    [InlineData("low_pass_hz", 90, "low_pass_hz must be above 0 and below the Nyquist frequency (80 Hz); got 90")]
    [InlineData("start_seconds", 61, "start_seconds must be 0 or more and before the recording's end (60 s); got 61")]
    [InlineData("page_seconds", 120, "page_seconds must be 1–60; got 120")]
    public async Task BadSettings_AreRefusedWithWhatIsAllowed(string argument, object value, string expected)
    {
        await using var client = await fixture.ConnectAsync(Ct);
        var arguments = new Dictionary<string, object?> { ["session_id"] = fixture.EyesClosed.Id.Value, ["low_pass_hz"] = 35, [argument] = value };
        var result = await client.CallToolAsync("view_recording", arguments, cancellationToken: Ct);
        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppsCalls_AreTheCallers_PermissionsScopeAndAuditApply()
    {
        var session = fixture.EyesClosed.Id.Value;
        var page = new Dictionary<string, object?> { ["session_id"] = session };

        // A key without neural_data.read: refused, in words.
        var auditorKey = await McpTestServer.CreateKeyAsync(fixture.Storage, ["auditor"], cancellationToken: Ct);
        await using (var auditor = await McpTestServer.ConnectAsync(fixture.Endpoint, auditorKey, Ct))
        {
            var refused = await auditor.CallToolAsync("read_viewer_page", page, cancellationToken: Ct);
            Assert.True(refused.IsError);
            Assert.Contains("needs the permission 'neural_data.read'", Text(refused), StringComparison.Ordinal);
        }

        // A reader scoped to another patient does not see this one's recording at all.
        var otherKey = await McpTestServer.CreateKeyAsync(fixture.Storage, ["reader"], [NeuraScale.Domain.PatientPseudonym.New()], Ct);
        await using (var other = await McpTestServer.ConnectAsync(fixture.Endpoint, otherKey, Ct))
        {
            foreach (var tool in new[] { "view_recording", "read_viewer_page", "list_viewer_events" })
            {
                var hidden = await other.CallToolAsync(tool, page, cancellationToken: Ct);
                Assert.True(hidden.IsError, tool);
                Assert.Contains($"session_id '{session}' does not exist", Text(hidden), StringComparison.Ordinal);
            }
        }

        await using var reader = await fixture.ConnectAsync(Ct);
        Structured(await reader.CallToolAsync("read_viewer_page", page, cancellationToken: Ct));

        var audit = (await AuditLines.ReadAsync(fixture.Storage, Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        bool Has(string tool, string outcome) => audit.Any(e => e.GetProperty("action").GetString() == "tools/call:" + tool && e.GetProperty("outcome").GetString() == outcome);
        Assert.True(Has("read_viewer_page", "ok"));
        Assert.True(Has("read_viewer_page", "forbidden"));
        Assert.True(Has("list_viewer_events", "not_found") || Has("list_viewer_events", "error"), "the scoped refusal is audited");
    }
}

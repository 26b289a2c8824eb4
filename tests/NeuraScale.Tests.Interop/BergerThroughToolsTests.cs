using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Domain;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// The Berger effect as a scientist meets it, end to end with the official MCP client: both real recordings (PhysioNet
/// EEGMMIDB S001, eyes open R01 / eyes closed R02) imported with import_recording through its upload link, then
/// run_analysis spectral on O1/Oz/O2 with its defaults — equal to MNE + SciPy on the same files, computed in the run.
/// </summary>
public sealed class BergerThroughToolsTests(AzuriteFixture azurite)
{
    private static readonly string[] Occipital = ["O1", "Oz", "O2"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportedRecordings_ShowTheBergerEffect_AsScipyComputesIt()
    {
        var storage = azurite.IsolatedOptions();
        var patient = PatientPseudonym.New();
        await using var server = await McpTestServer.StartAsync(storage, Ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, await McpTestServer.CreateKeyAsync(storage, ["clinician"], cancellationToken: Ct), Ct);
        var files = new Dictionary<string, string> { ["open"] = RepositoryPaths.EegMmiDb("S001R01.edf"), ["closed"] = RepositoryPaths.EegMmiDb("S001R02.edf") };

        // run_analysis's default bands run from 1 to 45 Hz: SciPy's relative alpha over the same total.
        var scipy = PythonReference.Run("berger_scipy.py", new { files, channels = new[] { "O1..", "Oz..", "O2.." }, total = new[] { 1, 45 } });
        var spectra = new Dictionary<string, (JsonElement Result, string Summary)>();
        foreach (var (condition, path) in files)
        {
            var sessionId = await ImportAsync(client, path, patient, $"EEGMMIDB S001, eyes {condition}");
            var analysis = await CallAsync(client, "run_analysis", new() { ["session_id"] = sessionId, ["analysis_type"] = "spectral", ["channels"] = Occipital });
            spectra[condition] = (analysis.Json.GetProperty("spectral"), analysis.Summary);
        }

        foreach (var (condition, (result, summary)) in spectra)
        {
            foreach (var channel in result.GetProperty("channels").EnumerateArray())
            {
                var name = channel.GetProperty("channel").GetString()!;
                var reference = scipy.GetProperty(condition).GetProperty(name + ".."); // the file's labels: "O1..", "Oz..", "O2.."
                var relative = channel.GetProperty("relative_power").GetProperty("alpha").GetDouble();
                // Stored as float32, so equal to SciPy's figure on the file's float64 values to float32 rounding.
                Assert.Equal(reference.GetProperty("relative_alpha").GetDouble(), relative, 1e-6);
                if (condition == "closed")
                {
                    Assert.Equal(reference.GetProperty("peak_hz").GetDouble(), channel.GetProperty("peak_alpha_hz").GetDouble(), 0.25);
                }
            }
        }

        Assert.Contains("Alpha peak 10.0 Hz", spectra["closed"].Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Alpha peak", spectra["open"].Summary, StringComparison.Ordinal);
        Assert.Contains("alpha attenuated", spectra["open"].Summary, StringComparison.Ordinal);
        foreach (var name in new[] { "O1..", "Oz..", "O2.." })
        {
            Assert.Equal(10.0, scipy.GetProperty("closed").GetProperty(name).GetProperty("peak_hz").GetDouble());
            Assert.True(scipy.GetProperty("closed").GetProperty(name).GetProperty("relative_alpha").GetDouble() > 3 * scipy.GetProperty("open").GetProperty(name).GetProperty("relative_alpha").GetDouble());
        }
    }

    /// <summary>import_recording's two steps, with the file PUT to the upload link between them; returns the session id.</summary>
    private static async Task<string> ImportAsync(McpClient client, string path, PatientPseudonym patient, string description)
    {
        var ticket = await CallAsync(client, "import_recording", new() { ["patient"] = patient.Value, ["description"] = description });
        Assert.Equal("awaiting_upload", ticket.Json.GetProperty("status").GetString());
        using (var http = new HttpClient())
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path, Ct));
            using var put = new HttpRequestMessage(HttpMethod.Put, ticket.Json.GetProperty("upload_url").GetString()) { Content = content };
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            (await http.SendAsync(put, Ct)).EnsureSuccessStatusCode();
        }

        var imported = await CallAsync(client, "import_recording", new()
        {
            ["patient"] = patient.Value, ["upload_id"] = ticket.Json.GetProperty("upload_id").GetString(), ["description"] = description,
        });
        Assert.Equal("succeeded", imported.Json.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2009, 8, 12, 16, 15, 0, TimeSpan.Zero), imported.Json.GetProperty("start_time").GetDateTimeOffset());
        Assert.Equal(64, imported.Json.GetProperty("channels").GetArrayLength());
        Assert.Equal(1, imported.Json.GetProperty("event_count").GetInt32());
        return imported.Json.GetProperty("session_id").GetString()!;
    }

    private static async Task<(JsonElement Json, string Summary)> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        var summary = string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        Assert.True(result.IsError != true, summary);
        return (JsonSerializer.SerializeToElement(result.StructuredContent), summary);
    }
}

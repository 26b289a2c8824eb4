using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>run_analysis through the official MCP client: ground truth from the simulator, figures, errors.</summary>
public sealed class AnalysisToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<(JsonElement Json, CallToolResult Result)> AnalyseAsync(string type, object? parameters = null, object[]? channels = null, double? start = null, double? end = null)
    {
        await using var client = await server.ConnectAsync(Ct);
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["analysis_type"] = type };
        if (parameters is not null)
        {
            arguments["parameters"] = parameters;
        }

        if (channels is not null)
        {
            arguments["channels"] = channels;
        }

        if (start is not null)
        {
            arguments["start_time"] = start;
        }

        if (end is not null)
        {
            arguments["end_time"] = end;
        }

        var result = await client.CallToolAsync("run_analysis", arguments, cancellationToken: Ct);
        Assert.False(result.IsError == true, "tool error: " + Text(result));
        SaveFigure(type, result);
        return (JsonSerializer.SerializeToElement(result.StructuredContent), result);
    }

    /// <summary>Every figure is a real PNG; with NEURASCALE_PLOT_DIR set, it is saved there to be looked at.</summary>
    private static void SaveFigure(string name, CallToolResult result)
    {
        var image = Assert.Single(result.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", image.MimeType);
        var png = image.DecodedData.ToArray();
        Assert.True(png.Length > 10_000, $"the {name} figure is only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        if (Environment.GetEnvironmentVariable("NEURASCALE_PLOT_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, name + ".png"), png);
        }
    }

    [Fact]
    public async Task Spectral_FindsTheSimulatorsAlpha_AtItsFrequency_StrongestOccipitally()
    {
        var (json, result) = await AnalyseAsync("spectral", new { window_seconds = 4 });
        var spectral = json.GetProperty("spectral");
        var channels = spectral.GetProperty("channels").EnumerateArray().ToArray();

        foreach (var occipital in channels.Where(c => c.GetProperty("channel").GetString() is "O1" or "O2"))
        {
            var peak = occipital.GetProperty("peak_alpha_hz").GetDouble();
            Assert.InRange(peak, McpServerFixture.EegOptions.AlphaFrequencyHz - 0.5, McpServerFixture.EegOptions.AlphaFrequencyHz + 0.5);
        }

        var strongest = channels.OrderByDescending(c => c.GetProperty("band_power_uv2").GetProperty("alpha").GetDouble()).Take(2)
            .Select(c => c.GetProperty("channel").GetString()).Order().ToArray();
        Assert.Equal(["O1", "O2"], strongest);
        Assert.Equal(0.25, spectral.GetProperty("frequency_resolution_hz").GetDouble());
        Assert.Equal("µV²/Hz", spectral.GetProperty("psd_unit").GetString());
        Assert.All(channels, c => Assert.InRange(c.GetProperty("relative_power").EnumerateObject().Sum(p => p.Value.GetDouble()), 0.99, 1.01));
        Assert.Contains("Alpha strongest at O", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spectral_BlinksPutLowFrequencyPowerOnFrontalChannels()
    {
        var (json, _) = await AnalyseAsync("spectral", new { window_seconds = 4, bands = new { blink = new[] { 0.5, 3.0 } } }, ["Fp1", "Fp2", "C3", "C4"]);
        var power = json.GetProperty("spectral").GetProperty("channels").EnumerateArray()
            .ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("band_power_uv2").GetProperty("blink").GetDouble());

        Assert.True(Math.Min(power["Fp1"], power["Fp2"]) > 1.5 * Math.Max(power["C3"], power["C4"]), string.Join(", ", power.Select(p => $"{p.Key} {p.Value:0.0} µV²")));
    }

    public static TheoryData<string, string> BadArguments => new()
    {
        { """{"analysis_type":"fractal"}""", "analysis_type 'fractal' is not supported; use spectral" },
        { """{"analysis_type":"spectral","parameters":{"window_secs":2}}""", "'window_secs' is not a spectral setting; allowed:" },
        { """{"analysis_type":"spectral","parameters":{"window_seconds":"long"}}""", "parameters.window_seconds must be a number from" },
        { """{"analysis_type":"spectral","parameters":{"window_seconds":60}}""", "it must be between 2 samples and the analysed window" },
        { """{"analysis_type":"spectral","parameters":{"bands":{"alpha":[13,8]}}}""", "[low, high] with 0 ≤ low < high ≤ 125 Hz" },
        { """{"analysis_type":"spectral","parameters":{"bands":{"narrow":[10,10.1]}}}""", "Band 'narrow': The band 10–10.1 Hz holds" },
        { """{"analysis_type":"spectral","parameters":[1,2]}""", "parameters must be a JSON object" },
        { """{"analysis_type":"spectral","end_time":0.001}""", "window_seconds 2 gives 500 samples per segment" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task BadArguments_ReturnToolErrorsThatSayWhatIsAllowed(string arguments, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;
        args["session_id"] = server.EegSession.Id.Value;
        await using var client = await server.ConnectAsync(Ct);

        var result = await client.CallToolAsync("run_analysis", args, cancellationToken: Ct);

        Assert.True(result.IsError, "expected a tool error, got: " + Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
    }
}

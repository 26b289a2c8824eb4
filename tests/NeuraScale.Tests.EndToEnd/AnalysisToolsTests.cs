using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>run_analysis through the official MCP client: ground truth from the simulator, figures, errors.</summary>
public sealed class AnalysisToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private Task<(JsonElement Json, CallToolResult Result)> AnalyseAsync(string type, object? parameters = null, object[]? channels = null, double? start = null, double? end = null) =>
        AnalyseAsync(server.EegSession.Id.Value, type, parameters, channels, start, end);

    private async Task<(JsonElement Json, CallToolResult Result)> AnalyseAsync(string sessionId, string type, object? parameters = null, object[]? channels = null, double? start = null, double? end = null)
    {
        await using var client = await server.ConnectAsync(Ct);
        var arguments = new Dictionary<string, object?> { ["session_id"] = sessionId, ["analysis_type"] = type };
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
        SaveFigure(type + (channels is null ? "" : "-" + channels.Length), result);
        return (JsonSerializer.SerializeToElement(result.StructuredContent), result);
    }

    /// <summary>Every figure is a real PNG; with NEURASCALE_PLOT_DIR set, it is saved there to be looked at.</summary>
    private static void SaveFigure(string name, CallToolResult result)
    {
        var images = result.Content.OfType<ImageContentBlock>().ToArray();
        Assert.NotEmpty(images);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal("image/png", images[i].MimeType);
            var png = images[i].DecodedData.ToArray();
            Assert.True(png.Length > 10_000, $"the {name} figure is only {png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            if (Environment.GetEnvironmentVariable("NEURASCALE_PLOT_DIR") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, $"{name}-{i}.png"), png);
            }
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

    [Fact]
    public async Task Erp_RecoversTheEvokedComponentsLatency_OnAnOddballRecording()
    {
        const double latency = 0.3;
        var oddball = await server.OddballAsync();
        string filtered;
        await using (var client = await server.ConnectAsync(Ct))
        {
            var filter = await client.CallToolAsync("apply_filter", new Dictionary<string, object?> { ["session_id"] = oddball.Id.Value, ["filter_type"] = "bandpass", ["low_freq"] = 0.1, ["high_freq"] = 30, ["order"] = 2 }, cancellationToken: Ct);
            filtered = JsonSerializer.SerializeToElement(filter.StructuredContent).GetProperty("filtered_data_id").GetString()!;
        }

        var (json, result) = await AnalyseAsync(filtered, "erp", new { tmin = -0.2, tmax = 0.8, reject_uv = 200, peak_mode = "pos" });
        var conditions = json.GetProperty("erp").GetProperty("conditions").EnumerateArray().ToDictionary(c => c.GetProperty("label").GetString()!);

        var target = conditions["stimulus/target"];
        var pz = Assert.Single(target.GetProperty("channel_peaks").EnumerateArray(), p => p.GetProperty("channel").GetString() == "Pz");
        var measured = pz.GetProperty("latency_s").GetDouble();
        TestContext.Current.SendDiagnosticMessage($"ERP target latency at Pz: {measured * 1000:0.0} ms (configured {latency * 1000:0} ms), {target.GetProperty("n_epochs").GetInt32()} epochs");
        Assert.InRange(measured, latency - 0.005, latency + 0.005);
        Assert.Equal("Pz", target.GetProperty("peak").GetProperty("channel").GetString());
        Assert.True(target.GetProperty("n_epochs").GetInt32() > 120);

        // Targets evoke about three times the standards' response (the simulator's 1.0 vs 0.3 gain).
        var standardPz = conditions["stimulus/standard"].GetProperty("channel_peaks").EnumerateArray().Single(p => p.GetProperty("channel").GetString() == "Pz");
        Assert.InRange(pz.GetProperty("amplitude_uv").GetDouble() / standardPz.GetProperty("amplitude_uv").GetDouble(), 2, 5);
        Assert.Equal(2, result.Content.OfType<ImageContentBlock>().Count());
        Assert.Contains("stimulus/target:", string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erp_OfAFewEpochs_SaysSo_InTheResultAndTheSummary_WhileAClearOddballDoesNot()
    {
        // 30 s with a stimulus every 2 s and 20 % targets: a handful of target epochs.
        var (few, fewResult) = await AnalyseAsync("erp", new { event_labels = new[] { "stimulus/target" } });
        var quality = few.GetProperty("data_quality").EnumerateArray().ToArray();
        Assert.Contains(quality, n => n.GetProperty("code").GetString() == "few_epochs");
        Assert.Contains("Data quality:", Text(fewResult), StringComparison.Ordinal);
        Assert.Contains("only", Text(fewResult), StringComparison.Ordinal);

        var oddball = await server.OddballAsync();
        var (clear, _) = await AnalyseAsync(oddball.Id.Value, "erp", new { event_labels = new[] { "stimulus/target" }, peak_mode = "pos" }, ["Fz", "Cz", "Pz", "O1", "O2"]);
        Assert.DoesNotContain(clear.GetProperty("data_quality").EnumerateArray(), n => n.GetProperty("code").GetString() is "few_epochs" or "low_snr");
    }

    [Fact]
    public async Task Erp_RejectionThreshold_DropsMoreEpochsTheLowerItIs_AndSaysWhy()
    {
        var kept = new List<int>();
        var partial = false;
        foreach (var threshold in new[] { 1e6, 200, 150, 125, 110, 90 })
        {
            await using var client = await server.ConnectAsync(Ct);
            var result = await client.CallToolAsync("run_analysis", new Dictionary<string, object?>
            {
                ["session_id"] = server.EegSession.Id.Value, ["analysis_type"] = "erp", ["parameters"] = new { reject_uv = threshold, event_labels = new[] { "stimulus/standard" } },
            }, cancellationToken: Ct);
            if (result.IsError == true)
            {
                Assert.Contains("epochs were dropped", Text(result), StringComparison.Ordinal); // every epoch rejected
                kept.Add(0);
                continue;
            }

            var condition = JsonSerializer.SerializeToElement(result.StructuredContent).GetProperty("erp").GetProperty("conditions")[0];
            var dropped = condition.GetProperty("dropped").EnumerateArray().ToArray();
            Assert.Equal(condition.GetProperty("n_events").GetInt32() - dropped.Length, condition.GetProperty("n_epochs").GetInt32());
            Assert.All(dropped, d => Assert.Matches(@"^(peak-to-peak [\d.]+ > [\d.]+ on \w+|the epoch extends beyond the recorded data)$", d.GetProperty("reason").GetString()));
            partial |= dropped.Any(d => d.GetProperty("reason").GetString()!.StartsWith("peak-to-peak", StringComparison.Ordinal));
            kept.Add(condition.GetProperty("n_epochs").GetInt32());
        }

        Assert.Equal(kept.OrderDescending(), kept);
        Assert.True(partial, "no threshold rejected some epochs but not all: " + string.Join(", ", kept));
    }

    [Fact]
    public async Task TimeFrequency_Continuous_ShowsAlphaAtItsFrequency_StrongerOccipitally()
    {
        var (json, result) = await AnalyseAsync("time_frequency", new { around_events = false, fmin = 4, fmax = 30 }, ["O1", "C3"]);
        var tfr = json.GetProperty("time_frequency");

        Assert.Equal(1, tfr.GetProperty("n_epochs").GetInt32());
        Assert.Equal("O1", tfr.GetProperty("peak").GetProperty("channel").GetString());
        Assert.InRange(tfr.GetProperty("peak").GetProperty("frequency_hz").GetDouble(), McpServerFixture.EegOptions.AlphaFrequencyHz - 1, McpServerFixture.EegOptions.AlphaFrequencyHz + 1);
        var alpha = tfr.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("band_mean").GetProperty("alpha").GetDouble());
        Assert.True(alpha["O1"] > 2 * alpha["C3"], $"alpha O1 {alpha["O1"]:0.0} vs C3 {alpha["C3"]:0.0} µV²");
        Assert.StartsWith("µV²", tfr.GetProperty("power_unit").GetString(), StringComparison.Ordinal);
        Assert.Single(result.Content.OfType<ImageContentBlock>());
    }

    [Fact]
    public async Task TimeFrequency_AroundEvents_AveragesEpochs_WithLogRatioBaseline()
    {
        var (json, _) = await AnalyseAsync("time_frequency", new { tmin = -0.4, tmax = 0.9, fmin = 4, fmax = 20, fstep = 2 }, ["Fp1", "O1", "P7"]);
        var tfr = json.GetProperty("time_frequency");

        Assert.True(tfr.GetProperty("n_epochs").GetInt32() >= 10);
        Assert.Equal("log10 ratio", tfr.GetProperty("power_unit").GetString());
        // Default baseline: from the first time outside the cone of influence (-0.4 + 0.1125 s, rounded up) to 0.
        Assert.StartsWith("logratio over -0.28–0 s", tfr.GetProperty("baseline").GetString(), StringComparison.Ordinal);
        Assert.Equal(9, tfr.GetProperty("frequencies_hz").GetArrayLength());
        var power = tfr.GetProperty("power");
        Assert.Equal(3, power.GetArrayLength());
        Assert.Equal(tfr.GetProperty("times_s").GetArrayLength(), power[0][0].GetArrayLength());
    }

    [Fact]
    public async Task Connectivity_AlphaIsCoherentBetweenOccipitalChannels_NotFrontal()
    {
        // The simulator's alpha is 10 Hz wandering ±0.5 Hz; the band is drawn around it, where the generator dominates.
        var bands = new Dictionary<string, double[]> { ["theta"] = [4, 8], ["alpha"] = [9.5, 10.5], ["beta"] = [13, 30] };
        var (json, result) = await AnalyseAsync("connectivity", new { bands }, ["Fp1", "Fp2", "O1", "O2", "C3"]);
        var connectivity = json.GetProperty("connectivity");
        var names = connectivity.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ToList();
        double Value(string measure, string band, string a, string b) =>
            connectivity.GetProperty("matrices").EnumerateArray().Single(m => m.GetProperty("measure").GetString() == measure && m.GetProperty("band").GetString() == band)
                .GetProperty("values")[names.IndexOf(a)][names.IndexOf(b)].GetDouble();

        // One alpha generator drives both occipital sites; frontal sites see little of it under their own background.
        var occipital = Value("coherence", "alpha", "O1", "O2");
        var frontal = Value("coherence", "alpha", "Fp1", "Fp2");
        TestContext.Current.SendDiagnosticMessage($"alpha coherence O1–O2 {occipital:0.00}, Fp1–Fp2 {frontal:0.00}; PLV O1–O2 {Value("plv", "alpha", "O1", "O2"):0.00}");
        Assert.True(occipital > 0.6, $"O1–O2 alpha coherence {occipital:0.00}");
        Assert.True(occipital > 3 * frontal, $"O1–O2 {occipital:0.00} vs Fp1–Fp2 {frontal:0.00}");
        Assert.True(Value("plv", "alpha", "O1", "O2") > Value("plv", "alpha", "Fp1", "Fp2"));
        Assert.Equal(15, connectivity.GetProperty("n_epochs").GetInt32());
        Assert.Equal(9, connectivity.GetProperty("matrices").GetArrayLength());
        Assert.Equal(1.0, Value("coherence", "beta", "C3", "C3"));
        Assert.Equal(Value("wpli", "theta", "O1", "C3"), Value("wpli", "theta", "C3", "O1"));
        Assert.Single(result.Content.OfType<ImageContentBlock>());
    }

    [Fact]
    public async Task Erp_Defaults_FindTheP300AtPz_OnTheUnfilteredOddball_NotAnEdgeOrAFrontalDeflection()
    {
        var oddball = await server.OddballAsync();

        var (json, result) = await AnalyseAsync(oddball.Id.Value, "erp", new { event_labels = new[] { "stimulus/target" } });

        var target = json.GetProperty("erp").GetProperty("conditions")[0];
        var p300 = Assert.Single(target.GetProperty("components").EnumerateArray(), c => c.GetProperty("name").GetString() == "P300");
        TestContext.Current.SendDiagnosticMessage($"Default ERP: {Text(result)}");
        Assert.True(p300.GetProperty("found").GetBoolean());
        Assert.Equal("Pz", p300.GetProperty("channel").GetString());
        Assert.InRange(p300.GetProperty("latency_s").GetDouble(), 0.29, 0.31);
        Assert.True(p300.GetProperty("snr").GetDouble() > 3);
        Assert.Equal("Pz", target.GetProperty("peak").GetProperty("channel").GetString());
        Assert.InRange(target.GetProperty("peak").GetProperty("latency_s").GetDouble(), 0.29, 0.31);
        Assert.Contains("P300 +", Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sloreta")]
    [InlineData("dspm")]
    [InlineData("mne")]
    public async Task SourceLocalization_PutsTheSimulatedP300_PosteriorNearTheMidline(string method)
    {
        var oddball = await server.OddballAsync();

        var (json, result) = await AnalyseAsync(oddball.Id.Value, "source_localization", new { method, event_label = "stimulus/target" });
        var source = json.GetProperty("source_localization");
        var peak = source.GetProperty("peak");

        // The simulator's component is a smooth blob centred on Pz (Pz 1.0; Cz, P3, P4 0.8; other parietal 0.5).
        Assert.InRange(source.GetProperty("time_s").GetDouble(), 0.28, 0.32);
        Assert.Contains("P300 peak", source.GetProperty("time_chosen_by").GetString(), StringComparison.Ordinal);
        Assert.InRange(peak.GetProperty("x_mm").GetDouble(), -25, 25);
        Assert.True(peak.GetProperty("y_mm").GetDouble() < 0, "the peak should be posterior: " + peak);
        Assert.Contains(peak.GetProperty("nearest_electrode").GetString(), new[] { "Pz", "Cz", "P3", "P4" });
        Assert.Equal(19, source.GetProperty("electrodes").GetArrayLength());
        Assert.Contains("Spherical head model", Text(result), StringComparison.Ordinal);
        if (method != "mne")
        {
            // Noise-normalised, as MNE's: dimensionless, a P300 well above its pre-stimulus noise (not 1e-17).
            Assert.Contains("dimensionless", source.GetProperty("value_unit").GetString(), StringComparison.Ordinal);
            Assert.InRange(peak.GetProperty("value").GetDouble(), 2, 200);
        }
        else
        {
            Assert.Equal("nA·m", source.GetProperty("value_unit").GetString());
        }
    }

    [Theory]
    [InlineData("run_analysis", "analysis_type", "spectral")]
    [InlineData("apply_filter", "filter_type", "notch")]
    public async Task UnknownSession_IsAToolErrorPointingToQuerySessions(string tool, string key, string value)
    {
        await using var client = await server.ConnectAsync(Ct);

        var arguments = new Dictionary<string, object?> { ["session_id"] = "ses_aaaaaaaaaaaaaaaaaaaa", [key] = value };
        if (tool == "apply_filter")
        {
            arguments["notch_freq"] = 50;
        }

        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);

        Assert.True(result.IsError);
        Assert.Contains("does not exist. Use query_sessions", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAnalysis_SendsProgressNotifications_ThroughTheSdkClient()
    {
        var updates = new List<ModelContextProtocol.ProgressNotificationValue>();
        var progress = new SynchronousProgress(updates);
        await using var client = await server.ConnectAsync(Ct);

        var result = await client.CallToolAsync(
            "run_analysis",
            new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["analysis_type"] = "spectral" },
            progress,
            cancellationToken: Ct);

        Assert.NotEqual(true, result.IsError);
        await progress.WaitUntilAsync(u => u.Any(v => v.Progress == 100), Ct);
        lock (updates)
        {
            Assert.True(updates.Count >= 3, $"{updates.Count} progress notifications");
            Assert.All(updates, u => Assert.Equal(100, u.Total));
            Assert.Equal(updates.Count, updates.Select(u => u.Progress).Distinct().Count());
        }
    }

    [Fact]
    public async Task RunAnalysis_ProgressOnTheWire_IncreasesAndPrecedesTheResult()
    {
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id = 7,
            method = "tools/call",
            @params = new
            {
                name = "run_analysis",
                arguments = new { session_id = server.EegSession.Id.Value, analysis_type = "spectral" },
                _meta = new { progressToken = "p-1" },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new("Bearer", server.ApiKey);

        using var response = await http.SendAsync(request, Ct);
        var stream = await response.Content.ReadAsStringAsync(Ct);

        var messages = stream.Split('\n')
            .Where(line => line.StartsWith("data:", StringComparison.Ordinal) && line.Length > 6)
            .Select(line => JsonDocument.Parse(line[5..]).RootElement.Clone())
            .ToArray();
        var progress = messages.TakeWhile(m => !m.TryGetProperty("id", out _)).ToArray();
        Assert.True(progress.Length >= 3, stream);
        Assert.All(progress, m => Assert.Equal("notifications/progress", m.GetProperty("method").GetString()));
        Assert.All(progress, m => Assert.Equal("p-1", m.GetProperty("params").GetProperty("progressToken").GetString()));
        var values = progress.Select(m => m.GetProperty("params").GetProperty("progress").GetDouble()).ToArray();
        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Length, values.Distinct().Count());
        Assert.Equal(100, values[^1]);
        Assert.Equal(7, messages[^1].GetProperty("id").GetInt32());
        Assert.True(messages[^1].TryGetProperty("result", out _), stream);
        Assert.Equal(progress.Length + 1, messages.Length);
    }

    public static TheoryData<string, string> BadArguments => new()
    {
        { """{"analysis_type":"source_localization","channels":["Fp1","Fp2","O1"]}""", "needs at least 8 EEG channels with standard 10-20/10-10 labels; 3 of" },
        { """{"analysis_type":"source_localization","parameters":{"method":"beamformer"}}""", "one of sloreta, dspm, mne" },
        { """{"analysis_type":"connectivity","channels":["O1"]}""", "Connectivity needs at least two channels" },
        { """{"analysis_type":"connectivity","parameters":{"measures":["granger"]}}""", "'granger' not supported; use any of coherence, plv, wpli" },
        { """{"analysis_type":"connectivity","parameters":{"plot_band":"mu"}}""", "plot_band 'mu' is not one of the bands" },
        { """{"analysis_type":"connectivity","parameters":{"epoch_seconds":20}}""", "PLV and wPLI average over epochs; the window gives 1" },
        { """{"analysis_type":"time_frequency","parameters":{"fmin":20,"fmax":10}}""", "fmax (10 Hz) must not be below fmin (20 Hz)" },
        { """{"analysis_type":"time_frequency","parameters":{"freqs":[10, 200]}}""", "parameters.freqs must be a list of 1–200 numbers from 0.1 to 125 Hz" },
        { """{"analysis_type":"time_frequency","parameters":{"freqs":[2],"n_cycles":10}}""", "is longer than the signal" },
        { """{"analysis_type":"time_frequency","parameters":{"plot_channel":"T9"}}""", "plot_channel 'T9' is not among the analysed channels" },
        { """{"analysis_type":"time_frequency","parameters":{"baseline_mode":"db"}}""", "one of mean, ratio, logratio, percent, zscore" },
        { """{"analysis_type":"erp","parameters":{"event_labels":["stimulus/deviant"]}}""", "No event is labelled 'stimulus/deviant' in the window; labels present: stimulus/standard, stimulus/target" },
        { """{"analysis_type":"erp","parameters":{"tmin":0.5,"tmax":0.1}}""", "tmax (0.1 s) must be later than tmin (0.5 s)" },
        { """{"analysis_type":"erp","parameters":{"reject_uv":0.01}}""", "were dropped" },
        { """{"analysis_type":"erp","start_time":0,"end_time":0.3}""", "no event markers" },
        { """{"analysis_type":"fractal"}""", "analysis_type 'fractal' is not supported; use spectral, erp, time_frequency, connectivity or source_localization" },
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

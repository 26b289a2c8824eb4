using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using NeuraScale.Domain;
using NeuraScale.Signals.Spectral;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>apply_filter through the official MCP client: derived recordings, idempotence, progress, errors.</summary>
public sealed class SignalProcessingToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.False(result.IsError == true, "tool error: " + Text(result));
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments, IProgress<ProgressNotificationValue>? progress = null)
    {
        await using var client = await server.ConnectAsync(Ct);
        return await client.CallToolAsync(tool, arguments, progress, cancellationToken: Ct);
    }

    [Fact]
    public async Task ApplyFilter_IsListedAsAnIdempotentWriteTool()
    {
        await using var client = await server.ConnectAsync(Ct);
        var tool = Assert.Single(await client.ListToolsAsync(cancellationToken: Ct), t => t.Name == "apply_filter").ProtocolTool;

        Assert.False(tool.Annotations?.ReadOnlyHint);
        Assert.False(tool.Annotations?.DestructiveHint);
        Assert.True(tool.Annotations?.IdempotentHint);
        Assert.NotNull(tool.OutputSchema);
        Assert.Equal(["filter_type", "session_id"], tool.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
    }

    [Fact]
    public async Task Notch_RemovesTheLine_AndTheFilteredIdWorksWithGetNeuralData()
    {
        var filtered = Structured(await CallAsync("apply_filter", new()
        {
            ["session_id"] = server.EegSession.Id.Value, ["filter_type"] = "notch", ["notch_freq"] = 50, ["channels"] = new object[] { "O2" },
        }));
        var id = filtered.GetProperty("filtered_data_id").GetString()!;
        Assert.NotEqual(server.EegSession.Id.Value, id);
        Assert.Equal(server.EegSession.Id.Value, filtered.GetProperty("lineage").GetProperty("root_session_id").GetString());
        Assert.Equal("notch", Assert.Single(filtered.GetProperty("lineage").GetProperty("steps").EnumerateArray()).GetProperty("operation").GetString());
        Assert.Contains("iirnotch(50, 30, fs=250)", filtered.GetProperty("scipy_equivalent").GetString(), StringComparison.Ordinal);
        Assert.Equal(server.EegSession.EventCount, filtered.GetProperty("event_count").GetInt32());
        var at50 = Assert.Single(filtered.GetProperty("response_db").EnumerateArray(), p => p.GetProperty("frequency_hz").GetDouble() == 50);
        Assert.True(at50.GetProperty("gain_db").GetDouble() < -60, "designed gain at 50 Hz: " + at50);

        var before = await ReadAsync(server.EegSession.Id.Value, "O2");
        var after = await ReadAsync(id, "O2");
        var attenuationDb = 10 * Math.Log10(LinePower(after) / LinePower(before));
        // O2 has poor contact in the fixture, so it carries the strongest line noise.
        Assert.True(attenuationDb < -20, $"the 50 Hz line is attenuated by only {-attenuationDb:0.0} dB");
        TestContext.Current.SendDiagnosticMessage($"50 Hz notch on O2: line power {attenuationDb:0.0} dB");
    }

    [Fact]
    public async Task SameRequestTwice_ReturnsTheSameRecording_WithoutRecomputing()
    {
        var arguments = new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["filter_type"] = "bandpass", ["low_freq"] = 1, ["high_freq"] = 30, ["end_time"] = 10 };
        var first = Structured(await CallAsync("apply_filter", arguments));
        var second = Structured(await CallAsync("apply_filter", arguments));

        Assert.Equal(first.GetProperty("filtered_data_id").GetString(), second.GetProperty("filtered_data_id").GetString());
        Assert.True(second.GetProperty("reused").GetBoolean());
        arguments["order"] = 2;
        var different = Structured(await CallAsync("apply_filter", arguments));
        Assert.NotEqual(first.GetProperty("filtered_data_id").GetString(), different.GetProperty("filtered_data_id").GetString());
    }

    [Fact]
    public async Task DerivedRecordings_AreListedOnlyWhenAskedFor()
    {
        var filtered = Structured(await CallAsync("apply_filter", new() { ["session_id"] = server.EcgSession.Id.Value, ["filter_type"] = "highpass", ["low_freq"] = 0.5 }));
        var id = filtered.GetProperty("filtered_data_id").GetString();

        var recordings = Structured(await CallAsync("query_sessions", new()));
        var all = Structured(await CallAsync("query_sessions", new() { ["include_derived"] = true }));

        Assert.DoesNotContain(recordings.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("session_id").GetString() == id);
        var derived = Assert.Single(all.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("session_id").GetString() == id);
        Assert.Equal(server.EcgSession.Id.Value, derived.GetProperty("derived_from_session_id").GetString());
        Assert.Equal("completed", derived.GetProperty("status").GetString());
    }

    [Fact]
    public async Task LongFilter_SendsProgressNotifications_UpTo100Percent()
    {
        var updates = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(updates);

        Structured(await CallAsync("apply_filter", new() { ["session_id"] = server.EegSession.Id.Value, ["filter_type"] = "lowpass", ["high_freq"] = 45, ["order"] = 6 }, progress));

        await progress.WaitUntilAsync(u => u.Any(v => v.Progress == 100), Ct);
        lock (updates)
        {
            Assert.All(updates, u => Assert.Equal(100, u.Total));
        }
    }

    [Fact]
    public async Task OtherPatientsRecordings_CannotBeFiltered()
    {
        var outsider = await McpTestServer.CreateKeyAsync(server.Storage, ["researcher"], [PatientPseudonym.New()], Ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, outsider, Ct);

        var result = await client.CallToolAsync("apply_filter", new Dictionary<string, object?> { ["session_id"] = server.EegSession.Id.Value, ["filter_type"] = "notch", ["notch_freq"] = 50 }, cancellationToken: Ct);

        Assert.True(result.IsError);
        Assert.Contains("does not exist", Text(result), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadArguments => new()
    {
        { """{"filter_type":"wavelet"}""", "use lowpass, highpass, bandpass, bandstop or notch" },
        { """{"filter_type":"lowpass","low_freq":30}""", "takes the cut-off in high_freq (MNE's h_freq); omit low_freq" },
        { """{"filter_type":"lowpass"}""", "needs high_freq" },
        { """{"filter_type":"highpass","low_freq":125}""", "low_freq: the cut-off must satisfy 0 < f < Nyquist (125 Hz" },
        { """{"filter_type":"lowpass","high_freq":-3}""", "high_freq: the cut-off must satisfy 0 < f < Nyquist" },
        { """{"filter_type":"bandpass","low_freq":30,"high_freq":10}""", "high_freq: the high edge must satisfy low edge (30 Hz) < f < Nyquist" },
        { """{"filter_type":"bandstop","low_freq":48}""", "needs both low_freq and high_freq" },
        { """{"filter_type":"bandpass","low_freq":1,"high_freq":40,"order":11}""", "order: order must be between 1 and 10" },
        { """{"filter_type":"notch"}""", "needs notch_freq" },
        { """{"filter_type":"notch","notch_freq":50,"quality":0}""", "quality: the quality factor Q must be a positive number" },
        { """{"filter_type":"bandpass","low_freq":0.1,"high_freq":40,"order":10,"end_time":0.2}""", "Zero-phase filtering with this filter needs more than" },
        { """{"filter_type":"notch","notch_freq":50,"channels":["Pz"]}""", "no channel is named 'Pz'" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task BadArguments_ReturnToolErrorsThatSayWhatIsAllowed(string arguments, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;
        args["session_id"] = server.EegSession.Id.Value;

        var result = await CallAsync("apply_filter", args);

        Assert.True(result.IsError, "expected a tool error, got: " + Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
    }

    private async Task<double[]> ReadAsync(string sessionId, string channel)
    {
        var samples = new List<double>();
        double? start = 0;
        while (start is not null)
        {
            var json = Structured(await CallAsync("get_neural_data", new() { ["session_id"] = sessionId, ["channels"] = new object[] { channel }, ["start_time"] = start }));
            samples.AddRange(json.GetProperty("data")[0].EnumerateArray().Select(v => v.GetDouble()));
            start = json.GetProperty("truncated").GetBoolean() ? json.GetProperty("next_start_time_s").GetDouble() : null;
        }

        return samples.ToArray();
    }

    private static double LinePower(double[] x)
    {
        const int n = 1000;
        var psd = new double[Welch.BinCount(n)];
        Welch.Psd(x, McpServerFixture.EegOptions.SamplingRateHz, n, n / 2, PsdScaling.Density, psd);
        return SpectralMeasures.BandPower(Welch.Frequencies(n, McpServerFixture.EegOptions.SamplingRateHz), psd, 49, 51);
    }
}

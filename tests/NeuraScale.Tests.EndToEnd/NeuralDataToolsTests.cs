using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Signals;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>The official C# MCP client, over Streamable HTTP, against the server on a random port.</summary>
public sealed class NeuralDataToolsTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.False(result.IsError == true, "tool error: " + Text(result));
        Assert.NotNull(result.StructuredContent);
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        await using var client = await server.ConnectAsync(Ct);
        return await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
    }

    [Fact]
    public async Task ListTools_ShowsBothToolsWithSchemasAndTruthfulAnnotations()
    {
        await using var client = await server.ConnectAsync(Ct);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        foreach (var name in new[] { "query_sessions", "get_neural_data" })
        {
            var tool = Assert.Single(tools, t => t.Name == name).ProtocolTool;
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.NotNull(tool.OutputSchema);
            Assert.True(tool.Annotations?.ReadOnlyHint);
            Assert.False(tool.Annotations?.DestructiveHint);
            Assert.True(tool.Annotations?.IdempotentHint);
            Assert.False(tool.Annotations?.OpenWorldHint);
        }

        var getData = tools.Single(t => t.Name == "get_neural_data").ProtocolTool;
        var properties = getData.InputSchema.GetProperty("properties");
        foreach (var parameter in new[] { "session_id", "channels", "start_time", "end_time", "downsample_factor" })
        {
            Assert.True(properties.TryGetProperty(parameter, out _), $"input schema lacks {parameter}");
        }

        Assert.Contains("session_id", getData.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(getData.OutputSchema!.Value.GetProperty("properties").TryGetProperty("sampling_rate_hz", out _));
    }

    [Fact]
    public async Task QuerySessions_FindsRecordedSessions_NewestFirst_AndFilters()
    {
        var all = await CallAsync("query_sessions", new() { ["patient_id"] = server.Patient.Value });
        var json = Structured(all);

        Assert.Equal(2, json.GetProperty("count").GetInt32());
        var sessions = json.GetProperty("sessions").EnumerateArray().ToArray();
        Assert.Equal(server.EcgSession.Id.Value, sessions[0].GetProperty("session_id").GetString());
        var eeg = sessions[1];
        Assert.Equal(server.EegSession.Id.Value, eeg.GetProperty("session_id").GetString());
        Assert.Equal("EEG", eeg.GetProperty("device_type").GetString());
        Assert.Equal(250, eeg.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal(30, eeg.GetProperty("duration_s").GetDouble());
        Assert.Equal("completed", eeg.GetProperty("status").GetString());
        Assert.Equal(["Fp1", "Fp2", "C3", "C4", "P7", "P8", "O1", "O2"], eeg.GetProperty("channel_names").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain('\n', Text(all));

        var ecgOnly = Structured(await CallAsync("query_sessions", new() { ["device_type"] = "ecg", ["patient_id"] = server.Patient.Value }));
        Assert.Equal(server.EcgSession.Id.Value, Assert.Single(ecgOnly.GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetString());

        // By device, whatever the case the caller types it in.
        var byDevice = Structured(await CallAsync("query_sessions", new() { ["device_id"] = "SIM-ECG-01" }));
        Assert.Contains(server.EcgSession.Id.Value, byDevice.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()));
        Assert.All(byDevice.GetProperty("sessions").EnumerateArray(), s => Assert.Equal("sim-ecg-01", s.GetProperty("device_id").GetString()));
        Assert.Equal("SIM-ECG-01", byDevice.GetProperty("query_params").GetProperty("device_id").GetString());

        var paged = Structured(await CallAsync("query_sessions", new() { ["limit"] = 1, ["patient_id"] = server.Patient.Value }));
        var cursor = paged.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);
        var next = Structured(await CallAsync("query_sessions", new() { ["limit"] = 1, ["patient_id"] = server.Patient.Value, ["cursor"] = cursor }));
        Assert.Equal(server.EegSession.Id.Value, next.GetProperty("sessions")[0].GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task QueryNeuralData_ReadsAQuestionIntoFilters_ReturnsTheMatchingSessions_AndNamesWhatItDidNotUnderstand()
    {
        var patient = server.Patient.Value;
        async Task<(string[] Ids, JsonElement Json)> AskAsync(string question)
        {
            var result = await CallAsync("query_neural_data", new() { ["question"] = question });
            Assert.True(result.IsError != true, Text(result));
            var json = Structured(result);
            return (json.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!).ToArray(), json);
        }

        var (eeg, eegJson) = await AskAsync($"EEG sessions of {patient} longer than 20 seconds recorded today");
        Assert.Equal([server.EegSession.Id.Value], eeg);
        Assert.Equal("EEG", eegJson.GetProperty("filters").GetProperty("device_type").GetString());
        Assert.Equal(20, eegJson.GetProperty("filters").GetProperty("longer_than_s").GetDouble());
        Assert.Empty(eegJson.GetProperty("not_understood").EnumerateArray());

        Assert.Equal([server.EcgSession.Id.Value], (await AskAsync($"ECG of {patient} on device sim-ecg-01")).Ids);
        Assert.Equal([server.EcgSession.Id.Value], (await AskAsync($"the newest session of {patient}")).Ids);
        Assert.Equal([server.EegSession.Id.Value], (await AskAsync($"the newest session of {patient} with O1 and O2")).Ids); // the ECG has no O1
        Assert.Equal([server.EcgSession.Id.Value, server.EegSession.Id.Value], (await AskAsync($"completed sessions of {patient} since yesterday")).Ids);
        Assert.Empty((await AskAsync($"EEG of {patient} longer than 1 hour")).Ids);
        Assert.Empty((await AskAsync($"sessions of {patient} from last month")).Ids);

        var (partly, partlyJson) = await AskAsync($"EEG of {patient} with seizures");
        Assert.Equal([server.EegSession.Id.Value], partly);
        Assert.Equal(["seizures"], partlyJson.GetProperty("not_understood").EnumerateArray().Select(e => e.GetString()));

        var nothing = await CallAsync("query_neural_data", new() { ["question"] = "tell me something interesting" });
        Assert.True(nothing.IsError);
        Assert.Contains("not understood: 'tell', 'something', 'interesting'", Text(nothing), StringComparison.Ordinal);
        Assert.True((await CallAsync("query_neural_data", new() { ["question"] = "" })).IsError);
        Assert.True((await CallAsync("query_neural_data", new() { ["question"] = "EEG", ["limit"] = 0 })).IsError);
    }

    [Fact]
    public async Task GetNeuralData_ReturnsTheSimulatorsGroundTruthForTheWindow()
    {
        var truth = new SimulatedAmplifier(McpServerFixture.EegOptions);

        var result = await CallAsync("get_neural_data", new()
        {
            ["session_id"] = server.EegSession.Id.Value,
            ["channels"] = new object[] { "O1", 0, "o2" },
            ["start_time"] = 2.5,
            ["end_time"] = 6.25,
        });
        var json = Structured(result);

        Assert.Equal(["O1", "Fp1", "O2"], json.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("uV", json.GetProperty("channels")[0].GetProperty("unit").GetString());
        Assert.Equal(2.5, json.GetProperty("start_time_s").GetDouble());
        // Samples strictly before 6.25 s: 625..1562, so the window ends (exclusively) at sample 1563 = 6.252 s.
        Assert.Equal(6.252, json.GetProperty("end_time_s").GetDouble());
        Assert.Equal(938, json.GetProperty("n_samples").GetInt32());
        Assert.False(json.GetProperty("truncated").GetBoolean());
        var data = json.GetProperty("data").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        int[] indices = [6, 0, 7];
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(Enumerable.Range(625, 938).Select(i => (float)truth.Sample(indices[c], i)), data[c]);
        }

        var events = json.GetProperty("events").EnumerateArray().ToArray();
        var expected = truth.EventsBetween(625, 1563);
        Assert.Equal(expected.Count, events.Length);
        Assert.Equal(expected.Select(e => e.Sample / 250.0), events.Select(e => e.GetProperty("onset_s").GetDouble()));
        Assert.Equal(expected.Select(e => e.Label), events.Select(e => e.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task GetNeuralData_Downsampled_EqualsAntiAliasedDecimationOfGroundTruth()
    {
        const int factor = 5;
        var truth = new SimulatedAmplifier(McpServerFixture.EegOptions);
        var whole = Enumerable.Range(0, 30 * 250).Select(i => (double)(float)truth.Sample(6, i)).ToArray();
        var taps = Decimation.AntiAliasTaps(factor);
        var half = (taps.Length - 1) / 2;

        var json = Structured(await CallAsync("get_neural_data", new()
        {
            ["session_id"] = server.EegSession.Id.Value,
            ["channels"] = new object[] { 6 },
            ["start_time"] = 0,
            ["end_time"] = 4,
            ["downsample_factor"] = factor,
        }));

        Assert.Equal(50, json.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Contains("Hamming", json.GetProperty("anti_alias_filter").GetString(), StringComparison.Ordinal);
        var row = json.GetProperty("data")[0].EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(200, row.Length);
        for (var k = 0; k < row.Length; k++)
        {
            // Direct evaluation of the definition on the whole recording, zeros beyond its ends.
            var expected = 0.0;
            for (var j = 0; j < taps.Length; j++)
            {
                var n = (k * factor) + half - j;
                expected += n >= 0 && n < whole.Length ? taps[j] * whole[n] : 0;
            }

            Assert.Equal((float)expected, row[k], 1e-3f);
        }
    }

    [Fact]
    public async Task GetNeuralData_OverTheInlineCap_IsCutWithAPointerToContinue()
    {
        var first = await CallAsync("get_neural_data", new() { ["session_id"] = server.EegSession.Id.Value });
        var json = Structured(first);

        Assert.True(json.GetProperty("truncated").GetBoolean());
        Assert.Equal(2500, json.GetProperty("n_samples").GetInt32()); // 20,000 values / 8 channels
        Assert.Equal(10, json.GetProperty("next_start_time_s").GetDouble());
        Assert.Contains("call again with start_time=10", Text(first), StringComparison.Ordinal);

        var second = Structured(await CallAsync("get_neural_data", new() { ["session_id"] = server.EegSession.Id.Value, ["start_time"] = 10.0 }));
        var truth = new SimulatedAmplifier(McpServerFixture.EegOptions);
        Assert.Equal(10, second.GetProperty("start_time_s").GetDouble());
        Assert.Equal((float)truth.Sample(3, 2500), second.GetProperty("data")[3][0].GetSingle());
    }

    public static TheoryData<string, string, string> BadArguments => new()
    {
        { "get_neural_data", """{"session_id":"ses_aaaaaaaaaaaaaaaaaaaa"}""", "does not exist. Use query_sessions" },
        { "get_neural_data", "{}", "session_id" },
        { "get_neural_data", """{"session_id":"{EEG}","downsample_factor":"two"}""", "downsample_factor" },
        { "get_neural_data", """{"session_id":"42"}""", "is not a session id" },
        { "get_neural_data", """{"session_id":"{EEG}","channels":[8]}""", "indices 0–7" },
        { "get_neural_data", """{"session_id":"{EEG}","channels":["Cz"]}""", "no channel is named 'Cz'" },
        { "get_neural_data", """{"session_id":"{EEG}","start_time":5,"end_time":2}""", "end_time (2) must be greater than start_time (5)" },
        { "get_neural_data", """{"session_id":"{EEG}","start_time":31}""", "start_time must be from 0 up to" },
        { "get_neural_data", """{"session_id":"{EEG}","start_time":-1}""", "start_time must be from 0 up to" },
        { "get_neural_data", """{"session_id":"{EEG}","downsample_factor":0}""", "downsample_factor must be an integer from 1" },
        { "query_sessions", """{"start_date":"last tuesday"}""", "not an ISO 8601 date" },
        { "query_sessions", """{"start_date":"2026-02-01","end_date":"2026-01-01"}""", "is after end_date" },
        { "query_sessions", """{"device_type":"MEG"}""", "use EEG, EMG or ECG" },
        { "query_sessions", """{"limit":0}""", "limit must be 1–1000" },
        { "query_sessions", """{"patient_id":"Jane Doe"}""", "is not a patient pseudonym" },
        { "query_sessions", """{"cursor":"bogus"}""", "next_cursor" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task BadArguments_ReturnToolErrorsThatSayWhatIsAllowed_AndTheServerStaysUp(string tool, string arguments, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments.Replace("{EEG}", server.EegSession.Id.Value, StringComparison.Ordinal))!;

        var result = await CallAsync(tool, args);

        Assert.True(result.IsError, "expected a tool error, got: " + Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Text(result), StringComparison.Ordinal);

        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri(server.Endpoint, "/health"), Ct);
        Assert.True(health.IsSuccessStatusCode);
        Assert.NotEqual(true, (await CallAsync("query_sessions", new() { ["limit"] = 1 })).IsError);
    }
}

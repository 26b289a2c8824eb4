using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Client;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Storage;
using NeuraScale.Testing;
using PuppeteerSharp;

namespace NeuraScale.Tests.EndToEnd.Viewer;

/// <summary>
/// The EEG viewer app (#17) in Debian's headless Chromium, hosted by the MCP Apps SDK's AppBridge over the real server:
/// it opens from <c>view_recording</c>, pages, changes montage, filter and sensitivity, jumps to events, and on the
/// real eyes-closed EEGMMIDB recording the traces it draws over the occipital channels oscillate at the alpha
/// rhythm. Screenshots go to <c>docs/images/</c> when <c>NEURASCALE_UPDATE_SCREENSHOTS=1</c> (else a temporary folder).
/// </summary>
[Collection(nameof(EegViewerBrowserTests))]
public sealed class EegViewerBrowserTests(EegViewerFixture fixture, ITestOutputHelper output) : IClassFixture<EegViewerFixture>
{
    private static readonly WaitForFunctionOptions Waiting = new() { Timeout = 30_000, PollingInterval = 20 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("NEURASCALE_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryPaths.Root, "docs", "images")
        : Path.Combine(Path.GetTempPath(), "neurascale-viewer-screenshots");

    [Fact]
    public async Task SimulatedRecording_OpensPagesChangesMontageAndFilters_AndJumpsToEvents()
    {
        await using var client = await fixture.ConnectAsync(Ct);
        await using var host = await AppTestHost.StartAsync(client, Ct);

        Assert.Equal("ok", await host.OpenAppAsync("view_recording", new { session_id = fixture.Simulated.Id.Value, montage = "referential", sensitivity_uv_per_mm = 30 }));
        var frame = host.AppFrame;
        var first = await WaitForRenderAsync(frame, 0);
        Assert.Equal(0, first.Start);
        Assert.Equal(64, first.Traces.Length);
        Assert.Equal(fixture.Simulated.Channels.Select(c => c.Name), first.Traces);
        Assert.Equal(2560, first.Samples);
        Assert.Contains("high-pass 0.5 Hz", first.Filters, StringComparison.Ordinal);
        Assert.Contains("low-pass 70 Hz", first.Filters, StringComparison.Ordinal);
        await host.ScreenshotAsync(Path.Combine(ScreenshotDirectory, "eeg-viewer-simulated-64ch.png"));

        // Page forward (button and keyboard), then back.
        await frame.ClickAsync("#next");
        var second = await WaitForRenderAsync(frame, first.Renders);
        Assert.Equal(10, second.Start);
        await frame.FocusAsync("#canvas");
        await host.Page.Keyboard.PressAsync("ArrowRight");
        var third = await WaitForRenderAsync(frame, second.Renders);
        Assert.Equal(20, third.Start);
        await frame.ClickAsync("#prev");
        var back = await WaitForRenderAsync(frame, third.Renders);
        Assert.Equal(10, back.Start);

        // The double banana of the 10-20 positions the simulator records, then a 1 Hz high-pass and a 50 Hz notch.
        await frame.SelectAsync("#montage", "bipolar");
        var bipolar = await WaitForRenderAsync(frame, back.Renders);
        Assert.Equal(["Fp1-F7", "F7-T7", "T7-P7", "P7-O1", "Fp2-F8", "F8-T8", "T8-P8", "P8-O2", "Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F4", "F4-C4", "C4-P4", "P4-O2", "Fz-Cz", "Cz-Pz"], bipolar.Traces);
        await frame.SelectAsync("#hp", "1");
        var highPass = await WaitForRenderAsync(frame, bipolar.Renders);
        Assert.Contains("high-pass 1 Hz", highPass.Filters, StringComparison.Ordinal);
        await frame.SelectAsync("#notch", "50");
        var notch = await WaitForRenderAsync(frame, highPass.Renders);
        Assert.Contains("notch 50 Hz", notch.Filters, StringComparison.Ordinal);
        await host.ScreenshotAsync(Path.Combine(ScreenshotDirectory, "eeg-viewer-simulated-bipolar.png"));
        Assert.True(await host.Page.EvaluateFunctionAsync<double>("() => document.querySelector('iframe').getBoundingClientRect().height") < 1000, "the frame shrinks to the 18-trace montage");

        // Sensitivity redraws without asking the server again: the traces' ink spreads as µV/mm falls.
        var calls = await AppToolCallsAsync(host);
        var spreadAt30 = await InkSpreadAsync(frame, "P3-O1");
        await frame.SelectAsync("#sensitivity", "100");
        await frame.WaitForFunctionAsync("() => window.__neurascaleViewer.state.sensitivity === 100", Waiting);
        var spreadAt100 = await InkSpreadAsync(frame, "P3-O1");
        Assert.True(spreadAt100 < spreadAt30 * 0.7, $"ink rows at 100 µV/mm {spreadAt100}, at 30 µV/mm {spreadAt30}");
        await frame.FocusAsync("#canvas");
        await host.Page.Keyboard.PressAsync("ArrowUp"); // more gain: the next step down in µV/mm
        Assert.Equal(70, await frame.EvaluateFunctionAsync<double>("() => window.__neurascaleViewer.state.sensitivity"));
        Assert.Equal(calls, await AppToolCallsAsync(host));

        // The events list (from list_viewer_events) jumps to an event: the page then holds it, 30 % in.
        await frame.WaitForFunctionAsync("() => document.querySelectorAll('#events li button').length > 0", Waiting);
        var events = await frame.EvaluateFunctionAsync<double[]>("() => window.__neurascaleViewer.state.events.map(e => e.onset_seconds)");
        Assert.NotEmpty(events);
        var target = events.First(e => e > 25);
        var index = Array.IndexOf(events, target);
        await frame.EvaluateFunctionAsync("(i) => document.querySelectorAll('#events li button')[i].click()", index);
        var jumped = await WaitForRenderAsync(frame, notch.Renders);
        Assert.InRange(target - jumped.Start, 0, 10);
        Assert.Contains(jumped.PageEvents, e => Math.Abs(e - target) < 1e-6);

        // Everything came through the server's tools, the app-only ones hidden from the model by their _meta.
        var log = JsonDocument.Parse(await host.Page.EvaluateFunctionAsync<string>("() => JSON.stringify(window.hostLog)")).RootElement;
        Assert.True(log.GetProperty("initialized").GetBoolean());
        Assert.Equal(["list_viewer_events", "read_viewer_page"], log.GetProperty("appOnlyTools").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.All(log.GetProperty("appToolCalls").EnumerateArray(), c => Assert.Contains(c.GetString(), new[] { "read_viewer_page", "list_viewer_events" }));
        Assert.Contains("connect-src 'none'", log.GetProperty("csp").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Errors);

        // The page, 64 ch × 10 s × 256 Hz, drawn again and again: reported (docs/benchmarks.md), not asserted.
        await frame.SelectAsync("#montage", "referential");
        var last = await WaitForRenderAsync(frame, jumped.Renders);
        for (var turn = 0; turn < 10; turn++)
        {
            await frame.ClickAsync(turn % 2 == 0 ? "#next" : "#prev");
            last = await WaitForRenderAsync(frame, last.Renders);
        }

        var full = last.RenderTimes[^11..];
        Assert.All(full, r => Assert.Equal(64, r.Traces));
        string Stats(IEnumerable<double> ms)
        {
            var sorted = ms.Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture, $"median {sorted[sorted.Length / 2]:0.0} ms, max {sorted[^1]:0.0} ms");
        }

        output.WriteLine($"64 ch × 10 s × 256 Hz page, {full.Length} pages: data arrival → drawn {Stats(full.Select(r => r.TotalMs))}, → painted {Stats(full.Select(r => r.PaintedMs))}; tool round trip through host and server {Stats(full.Select(r => r.RoundTripMs))}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first page: drawn {first.RenderTimes[0].TotalMs:0.0} ms, painted {first.RenderTimes[0].PaintedMs:0.0} ms"));
    }

    [Fact]
    public async Task RealEyesClosedRecording_ShowsAlphaAtTheOccipitalChannels()
    {
        await using var client = await fixture.ConnectAsync(Ct);
        await using var host = await AppTestHost.StartAsync(client, Ct);

        // The montage is left to the server's default: the double banana, as these electrodes allow.
        Assert.Equal("ok", await host.OpenAppAsync("view_recording", new { session_id = fixture.EyesClosed.Id.Value, start_seconds = 20, high_pass_hz = 1, low_pass_hz = 35, sensitivity_uv_per_mm = 15 }));
        var frame = host.AppFrame;
        var page = await WaitForRenderAsync(frame, 0);
        Assert.Equal(20, page.Start);
        Assert.Equal(1600, page.Samples);
        Assert.Contains("P3-O1", page.Traces);
        await host.ScreenshotAsync(Path.Combine(ScreenshotDirectory, "eeg-viewer-eegmmidb-eyes-closed.png"));

        // Read the picture back: the drawn line of each occipital derivation, column by column, oscillates at alpha.
        foreach (var trace in new[] { "P3-O1", "P4-O2" })
        {
            var peak = DominantFrequency(await TraceLineAsync(frame, trace), secondsWide: 10);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trace}: the drawn trace's dominant frequency {peak:0.00} Hz"));
            Assert.InRange(peak, 8, 13);
        }

        // Clock time: EEGMMIDB S001R02 started at 16:15:00 (its EDF header), so this page is 16:15:20–16:15:30 (UTC here).
        await frame.SelectAsync("#timebase", "clock");
        Assert.Equal("16:15:20–16:15:30", await frame.EvaluateFunctionAsync<string>("() => document.getElementById('position').textContent"));
        await frame.SelectAsync("#timebase", "elapsed");

        // The host switches to its dark theme: the app follows (host-context-changed), and draws light on dark.
        await host.Page.EvaluateFunctionAsync("() => window.bridge.setHostContext({ ...window.bridge._hostContext, theme: 'dark' })");
        await frame.WaitForFunctionAsync("() => document.documentElement.dataset.theme === 'dark'", Waiting);
        var background = await frame.EvaluateFunctionAsync<int[]>("() => Array.from(document.getElementById('canvas').getContext('2d').getImageData(2, 2, 1, 1).data)");
        Assert.True(background[0] + background[1] + background[2] < 3 * 64, $"canvas background {string.Join(',', background)} in the dark theme");
        await host.ScreenshotAsync(Path.Combine(ScreenshotDirectory, "eeg-viewer-eegmmidb-dark.png"));
        Assert.Empty(host.Errors);
    }

    [Fact]
    public async Task ARecordingInProgress_IsFollowedAtItsLiveEdge_UntilItEnds()
    {
        // Recorded through the relay at twice real time while the viewer watches.
        var patient = NeuraScale.Domain.PatientPseudonym.New();
        var amplifier = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 256, Seed = 9, Speed = 2 });
        var recording = TestRecorder.RecordAsync(StorageServiceCollectionExtensions.CreateClients(fixture.Storage), amplifier, patient, 40, Ct);
        await using var client = await fixture.ConnectAsync(Ct);
        var sessionId = await RecordingInProgressAsync(client, patient);

        await using var host = await AppTestHost.StartAsync(client, Ct);
        Assert.Equal("ok", await host.OpenAppAsync("view_recording", new { session_id = sessionId, page_seconds = 5 }));
        var frame = host.AppFrame;
        var first = await WaitForRenderAsync(frame, 0);
        Assert.True(await frame.EvaluateFunctionAsync<bool>("() => document.body.classList.contains('live') && document.getElementById('follow').checked"));

        // The page moves with the recording's end without anyone paging.
        await frame.WaitForFunctionAsync($"() => window.__neurascaleViewer.state.page.start_seconds > {first.Start.ToString(CultureInfo.InvariantCulture)} + 2", Waiting);
        await host.ScreenshotAsync(Path.Combine(ScreenshotDirectory, "eeg-viewer-live.png"));

        // When the recording ends, the viewer says so and stops following.
        await recording;
        await frame.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'The recording has ended.' && !window.__neurascaleViewer.state.follow", Waiting);
        Assert.Empty(host.Errors);
    }

    // Waits for the relay to have opened the session and stored its first seconds (the relay runs beside the test).
    private static async Task<string> RecordingInProgressAsync(McpClient client, NeuraScale.Domain.PatientPseudonym patient)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var result = await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = patient.Value, ["status"] = "recording" }, cancellationToken: Ct);
            var sessions = JsonSerializer.SerializeToElement(result.StructuredContent).GetProperty("sessions");
            if (sessions.GetArrayLength() == 1 && sessions[0].GetProperty("duration_s").GetDouble() >= 6)
            {
                return sessions[0].GetProperty("session_id").GetString()!;
            }

            await Task.Delay(200, Ct);
        }

        throw new TimeoutException("The relay did not start the recording within 30 s.");
    }

    [Fact]
    public async Task AHostThatPassesOnOnlyTheResultsText_StillGetsTheViewer()
    {
        await using var client = await fixture.ConnectAsync(Ct);
        await using var host = await AppTestHost.StartAsync(client, Ct);

        Assert.Equal("ok", await host.OpenAppAsync("view_recording", new { session_id = fixture.EyesClosed.Id.Value, start_seconds = 30 }, textOnly: true));
        var page = await WaitForRenderAsync(host.AppFrame, 0);
        Assert.Equal(30, page.Start);
        Assert.Equal(18, page.Traces.Length);
        Assert.Contains("view_recording", await host.Page.EvaluateFunctionAsync<string[]>("() => window.hostLog.appToolCalls"));
        Assert.Empty(host.Errors);
    }

    private sealed record RenderTime(int Traces, double TotalMs, double PaintedMs, double RoundTripMs);

    private sealed record PageState(double Start, string[] Traces, int Samples, string Filters, double[] PageEvents, int Renders, RenderTime[] RenderTimes);

    /// <summary>Waits until the app has drawn more than <paramref name="renders"/> pages, and reads what it shows.</summary>
    private static async Task<PageState> WaitForRenderAsync(IFrame frame, int renders)
    {
        await frame.WaitForFunctionAsync($"() => window.__neurascaleViewer && window.__neurascaleViewer.renders.length > {renders} && window.__neurascaleViewer.renders.at(-1).paintedMs !== undefined", Waiting);
        var json = await frame.EvaluateFunctionAsync<string>("""
            () => {
              const v = window.__neurascaleViewer, p = v.state.page;
              return JSON.stringify({ start: p.start_seconds, traces: p.traces, samples: p.sample_count, filters: p.filters,
                events: p.events.map(e => e.onset_seconds), renders: v.renders.length,
                times: v.renders.map(r => ({ traces: r.traces, ms: r.totalMs, painted: r.paintedMs ?? -1, trip: r.roundTripMs })) });
            }
            """);
        var s = JsonDocument.Parse(json).RootElement;
        return new PageState(
            s.GetProperty("start").GetDouble(),
            s.GetProperty("traces").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            s.GetProperty("samples").GetInt32(),
            s.GetProperty("filters").GetString()!,
            s.GetProperty("events").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            s.GetProperty("renders").GetInt32(),
            s.GetProperty("times").EnumerateArray().Select(e => new RenderTime(e.GetProperty("traces").GetInt32(), e.GetProperty("ms").GetDouble(), e.GetProperty("painted").GetDouble(), e.GetProperty("trip").GetDouble())).ToArray());
    }

    private static async Task<int> AppToolCallsAsync(AppTestHost host) =>
        await host.Page.EvaluateFunctionAsync<int>("() => window.hostLog.appToolCalls.length");

    // The canvas pixels of one trace's lane: grey "ink" (the trace colour; grid lines are too faint, event markers are
    // orange) per column, as the weighted mean row, or NaN where the column has none.
    private const string LaneInk = """
        (name, mode) => {
          const L = window.__neurascaleViewer.layout, i = L.traces.indexOf(name);
          if (i < 0) return null;
          const g = document.getElementById('canvas').getContext('2d');
          const top = Math.round((L.top + i * L.lane) * L.dpr), h = Math.round(L.lane * L.dpr);
          const left = Math.round(L.left * L.dpr), w = Math.round(L.plotWidth * L.dpr);
          const d = g.getImageData(left, top, w, h).data, rows = new Set(), line = [];
          for (let x = 0; x < w; x++) {
            let sum = 0, weight = 0;
            for (let y = 0; y < h; y++) {
              const k = (y * w + x) * 4, r = d[k], gr = d[k + 1], b = d[k + 2];
              const ink = 255 - (r + gr + b) / 3;
              if (ink > 96 && Math.max(r, gr, b) - Math.min(r, gr, b) < 40) { sum += y * ink; weight += ink; rows.add(y); }
            }
            line.push(weight > 0 ? sum / weight : null);
          }
          return mode === 'rows' ? rows.size : line;
        }
        """;

    private static async Task<int> InkSpreadAsync(IFrame frame, string trace) =>
        await frame.EvaluateFunctionAsync<int>(LaneInk, trace, "rows");

    private static async Task<double[]> TraceLineAsync(IFrame frame, string trace)
    {
        var line = await frame.EvaluateFunctionAsync<double?[]>(LaneInk, trace, "line");
        Assert.True(line.Count(v => v is not null) > line.Length * 0.95, $"{trace}: the trace is missing from most columns");
        // Fill the rare empty column from its neighbour.
        var filled = new double[line.Length];
        var last = line.First(v => v is not null)!.Value;
        for (var i = 0; i < line.Length; i++)
        {
            filled[i] = last = line[i] ?? last;
        }

        return filled;
    }

    /// <summary>The frequency, 2–30 Hz in 0.1 Hz steps, at which the drawn line has most power (a plain DFT scan).</summary>
    private static double DominantFrequency(double[] line, double secondsWide)
    {
        var mean = line.Average();
        var columnsPerSecond = line.Length / secondsWide;
        var best = (Hz: 0.0, Power: double.MinValue);
        for (var f = 2.0; f <= 30; f += 0.1)
        {
            double re = 0, im = 0;
            for (var x = 0; x < line.Length; x++)
            {
                var phase = 2 * Math.PI * f * x / columnsPerSecond;
                re += (line[x] - mean) * Math.Cos(phase);
                im -= (line[x] - mean) * Math.Sin(phase);
            }

            if ((re * re) + (im * im) > best.Power)
            {
                best = (f, (re * re) + (im * im));
            }
        }

        return best.Hz;
    }
}

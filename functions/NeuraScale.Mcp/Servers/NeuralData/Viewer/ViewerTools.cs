using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Viewer;
using NeuraScale.Signals.Montages;

namespace NeuraScale.Mcp.Servers.NeuralData.Viewer;

/// <summary>
/// The EEG viewer's tools: <c>view_recording</c> opens the viewer app (<see cref="ViewerApp"/>) for the model;
/// <c>read_viewer_page</c> and <c>list_viewer_events</c> are called by the app itself (visibility "app"), with the
/// caller's own permissions, patient scope, rate limits and audit like every other call.
/// </summary>
[McpServerToolType]
public sealed class ViewerTools(ViewerPageService viewer, CallerAccessor callers)
{
    private const string MontageHelp = "referential (as recorded), average (average reference) or bipolar (longitudinal bipolar, the double banana)";

    [McpServerTool(Name = "view_recording", Title = "Show a recording in the EEG viewer", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ViewRecordingResult))]
    [McpMeta("ui", JsonValue = ViewerApp.ToolMeta)]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("Opens a recording in the interactive EEG viewer, shown to the person by clients that render MCP Apps: pages of traces in a montage, with sensitivity, display filters, event markers, paging, jumping to events and following a recording in progress. Use it when the person wants to see or review the signal. Returns what the viewer opens on; the samples go to the viewer, not into the conversation (use get_neural_data for numbers).")]
    public async Task<CallToolResult> ViewRecording(
        [Description("Session id from query_sessions, e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("Page start, seconds from the recording's start. Default 0.")] double start_seconds = 0,
        [Description("Page length, 1–60 s. Default 10.")] double page_seconds = 10,
        [Description("Montage: " + MontageHelp + ". Default: bipolar for EEG with a 10-20 set (at least 12 of the double banana's 18 pairs; what EEG is read in), else referential.")] string? montage = null,
        [Description("High-pass (low-frequency filter), Hz. Omit for the modality's default (EEG 0.5, ECG 0.5, EMG 20); 0 turns it off.")] double? high_pass_hz = null,
        [Description("Low-pass (high-frequency filter), Hz, below Nyquist. Omit for the modality's default (EEG 70, ECG 40, EMG none, each only when below Nyquist); 0 turns it off.")] double? low_pass_hz = null,
        [Description("Line-noise notch, Hz (50 or 60). Omit or 0 for none.")] double? notch_hz = null,
        [Description("Sensitivity, µV per mm, 0.5–5000. Omit for the modality's default (EEG 7, EMG 50, ECG 100).")] double? sensitivity_uv_per_mm = null,
        [Description("For a recording in progress: start at and follow its live edge. Default true.")] bool follow_live = true,
        CancellationToken cancellationToken = default)
    {
        if (sensitivity_uv_per_mm is { } asked && !(asked is >= 0.5 and <= 5000))
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"sensitivity_uv_per_mm must be 0.5–5000 µV/mm (EEG is usually read at 5–10); got {asked}."));
        }

        var opening = await viewer.OpenAsync(
            new ViewerOpenRequest(session_id, start_seconds, page_seconds, montage is null ? null : ParseMontage(montage), high_pass_hz, low_pass_hz, notch_hz, callers.Current),
            cancellationToken).ConfigureAwait(false);
        var (opened, settings) = (opening.Session, opening.Settings);
        var sensitivity = sensitivity_uv_per_mm ?? opening.SensitivityUvPerMm;
        var view = new ViewerSettings(start_seconds, page_seconds, Name(settings.Montage), settings.HighPassHz, settings.LowPassHz, settings.NotchHz, sensitivity, follow_live && opened.Live);
        var result = new ViewRecordingResult(opened.SessionId, opened.Modality.ToString(), opened.SamplingRateHz, opened.RecordingSeconds, opened.Live, opened.EventCount, opened.Traces, opened.Filters, view, opened.StartTime);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Viewer opened on {opened.SessionId} ({opened.Modality}, {opened.Traces.Count} traces, {opened.SamplingRateHz:0.###} Hz, {opened.RecordingSeconds:0.#} s{(opened.Live ? ", recording in progress" : "")}) at {start_seconds:0.###}–{start_seconds + page_seconds:0.###} s, {Name(settings.Montage)} montage, {sensitivity:0.##} µV/mm, filters: {opened.Filters}; {opened.EventCount} event marker(s) in the recording.");
        return ToolResults.Structured(summary, result);
    }

    [McpServerTool(Name = "read_viewer_page", Title = "Read a viewer page", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ViewerPageResult))]
    [McpMeta("ui", JsonValue = ViewerApp.AppOnlyToolMeta)]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("For the EEG viewer app: one page of a recording in a montage with zero-phase display filters, as compact float32, with its event markers.")]
    public async Task<CallToolResult> ReadViewerPage(
        [Description("Session id, e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("Page start, seconds from the recording's start.")] double start_seconds = 0,
        [Description("Page length, 1–60 s.")] double page_seconds = 10,
        [Description("Montage: " + MontageHelp + ".")] string montage = "referential",
        [Description("High-pass, Hz; omit or 0 for none.")] double? high_pass_hz = null,
        [Description("Low-pass, Hz, below Nyquist; omit or 0 for none.")] double? low_pass_hz = null,
        [Description("Notch, Hz; omit or 0 for none.")] double? notch_hz = null,
        [Description("true: the page that ends where the recording ends now (start_seconds is ignored), to follow a live recording.")] bool at_end = false,
        CancellationToken cancellationToken = default)
    {
        var request = new ViewerPageRequest(session_id, start_seconds, page_seconds, ParseMontage(montage), ZeroIsOff(high_pass_hz), ZeroIsOff(low_pass_hz), ZeroIsOff(notch_hz), callers.Current, at_end);
        var page = await viewer.GetPageAsync(request, cancellationToken).ConfigureAwait(false);
        var samples = page.Traces.Count == 0 ? 0 : page.Traces[0].Microvolts.Length;
        var bytes = new byte[page.Traces.Count * samples * sizeof(float)];
        for (var i = 0; i < page.Traces.Count; i++)
        {
            // Little-endian on every platform .NET runs on here; the app reads it with a Float32Array.
            MemoryMarshal.AsBytes(page.Traces[i].Microvolts.AsSpan()).CopyTo(bytes.AsSpan(i * samples * sizeof(float)));
        }

        var result = new ViewerPageResult(page.SessionId, page.StartSeconds, page.SamplingRateHz, samples, page.RecordingSeconds, page.Live,
            Name(request.Montage), page.Filters, page.Traces.Select(t => t.Name).ToArray(), Convert.ToBase64String(bytes), page.Events);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{page.Traces.Count} trace(s) × {samples} samples from {page.StartSeconds:0.###} s of {page.SessionId}, {page.Events.Count} event(s).");
        return ToolResults.Structured(summary, result);
    }

    [McpServerTool(Name = "list_viewer_events", Title = "List a recording's event markers", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ViewerEventList))]
    [McpMeta("ui", JsonValue = ViewerApp.AppOnlyToolMeta)]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("For the EEG viewer app: the event markers of up to 10 minutes of a recording from from_seconds; scanned_to_seconds says where to continue.")]
    public async Task<CallToolResult> ListViewerEvents(
        [Description("Session id, e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("Seconds from the recording's start to list from. Default 0.")] double from_seconds = 0,
        CancellationToken cancellationToken = default)
    {
        var list = await viewer.ListEventsAsync(session_id, from_seconds, callers.Current, cancellationToken).ConfigureAwait(false);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{list.Events.Count} event(s) of {list.SessionId} from {from_seconds:0.###} s to {list.ScannedToSeconds:0.###} s (recording {list.RecordingSeconds:0.###} s).");
        return ToolResults.Structured(summary, list);
    }

    // The app sends 0 for a filter the person switched off.
    private static double? ZeroIsOff(double? value) => value == 0 ? null : value;

    private static MontageKind ParseMontage(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "referential" or "reference" or "as_recorded" => MontageKind.Referential,
        "average" or "average_reference" or "avg" or "car" => MontageKind.AverageReference,
        "bipolar" or "longitudinal_bipolar" or "double_banana" => MontageKind.LongitudinalBipolar,
        _ => throw new InvalidRequestException($"montage '{text}' is not known; use {MontageHelp}."),
    };

    private static string Name(MontageKind kind) => kind switch
    {
        MontageKind.AverageReference => "average",
        MontageKind.LongitudinalBipolar => "bipolar",
        _ => "referential",
    };
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Filtering;
using NeuraScale.Signals.Filters;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The neural-data server's processing tools: filters that write derived recordings.</summary>
[McpServerToolType]
public sealed class SignalProcessingTools(ApplyFilterService filters, CallerAccessor callers)
{
    [McpServerTool(Name = "apply_filter", Title = "Filter a recording", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ApplyFilterResult))]
    [RequiresPermission(Permissions.NeuralDataProcess)]
    [Description("Filters a recording (or a window and some channels of it) with a Butterworth IIR filter or a line-noise notch and stores the result as a derived recording with lineage; the source is never changed. Returns filtered_data_id, usable wherever a session_id is taken. Frequencies follow MNE: lowpass takes high_freq, highpass takes low_freq, bandpass/bandstop take both. Zero-phase by default (as scipy.signal.sosfiltfilt; the effective order doubles). Repeating a request returns the same recording. Reports progress on long recordings.")]
    public async Task<CallToolResult> ApplyFilter(
        [Description("Session id to filter (a recording or an earlier filtered_data_id), e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("lowpass, highpass, bandpass, bandstop or notch.")] string filter_type,
        [Description("Lower edge, Hz: the cut-off of a highpass, the low edge of a bandpass/bandstop. Omit for lowpass and notch.")] double? low_freq = null,
        [Description("Upper edge, Hz: the cut-off of a lowpass, the high edge of a bandpass/bandstop. Omit for highpass and notch. Must be below Nyquist.")] double? high_freq = null,
        [Description("Butterworth order, 1–10 (default 4). Zero-phase application doubles the effective order.")] int order = FilterSpecification.DefaultOrder,
        [Description("true (default): forward-backward, no phase shift or delay, as scipy.signal.sosfiltfilt. false: causal, as scipy.signal.sosfilt (introduces phase delay, like a hardware filter).")] bool zero_phase = true,
        [Description("For notch: the frequency to remove, Hz (line noise: 50 in Europe/Asia, 60 in the Americas).")] double? notch_freq = null,
        [Description("For notch: quality factor Q = notch_freq / bandwidth at −3 dB (default 30: a 50 Hz notch is 1.7 Hz wide).")] double quality = NotchDesign.DefaultQuality,
        [Description("For notch: also remove every multiple of notch_freq below Nyquist (100, 150 … Hz). Default false.")] bool harmonics = false,
        [Description("Channels to keep: 0-based indices or names (e.g. [\"O1\", \"O2\"]). Omit for all channels.")] JsonElement[]? channels = null,
        [Description("Window start, seconds from the start of the recording. Default 0.")] double? start_time = null,
        [Description("Window end (exclusive), seconds. Default: end of the recording.")] double? end_time = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ApplyFilterRequest(session_id, filter_type, low_freq, high_freq, order, zero_phase, notch_freq, quality, harmonics, ToolArguments.Channels(channels), start_time, end_time, callers.Current);
        var result = await filters.ApplyAsync(request, ProgressReports.Percent(progress, "Filtering " + session_id), cancellationToken).ConfigureAwait(false);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{(result.Reused ? "Found the identical earlier result: filtered" : "Filtered")} {result.Channels.Count} channel(s), {result.SourceStartTimeS:0.###}–{result.SourceEndTimeS:0.###} s of {result.SourceSessionId} ({result.Filter}): filtered_data_id {result.FilteredDataId}.");
        return ToolResults.Structured(summary, result);
    }
}

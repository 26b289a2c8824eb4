using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Analysis;

namespace NeuraScale.Mcp.Servers.Analysis;

/// <summary>The analysis server's tool: spectral, ERP, time-frequency, connectivity and source analyses with figures.</summary>
[McpServerToolType]
public sealed class AnalysisTools(AnalysisService analyses, CallerAccessor callers)
{
    [McpServerTool(Name = "run_analysis", Title = "Analyse a recording", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RunAnalysisResult))]
    [RequiresPermission(Permissions.NeuralDataProcess)]
    [Description("Runs an analysis on a window of a recording (or a filtered_data_id) and returns structured results with units plus a PNG figure. analysis_type spectral: Welch PSD (as scipy.signal.welch), band powers (delta 1–4, theta 4–8, alpha 8–13, beta 13–30, gamma 30–45 Hz; absolute µV² and relative) and the individual alpha peak; parameters: window_seconds (2), overlap (0.5), scaling (density|spectrum), bands ({name: [low, high]}), fmin/fmax (0/60 Hz, returned and plotted range), alpha_range ([7, 14] Hz). analysis_type erp: epochs around event markers averaged per label, as mne.Epochs(...).average(), with standard error and peak latency/amplitude per channel; parameters: tmin (-0.2 s), tmax (0.8 s), baseline ([-0.2, 0] s, null for none), reject_uv (peak-to-peak µV, default off), event_labels (default all), components (P100, N100, P200, N200, P300 by default: each in its window with its polarity at its usual sites, never at a window's edge, with SNR; the clearest leads), peak_window ([start, end] s: instead the largest peak over all channels, as mne get_peak), peak_mode (abs|pos|neg, with peak_window). One butterfly figure per label. analysis_type time_frequency: complex Morlet power as mne.time_frequency.tfr_array_morlet, averaged over epochs around events (or the window as one piece when it has none or around_events is false), baseline-normalised as mne.baseline.rescale; parameters: freqs (list, Hz) or fmin/fmax/fstep (3/40/1 Hz), n_cycles (number or list; default freqs/2), decim (default fs/100), around_events (true), tmin/tmax (-0.5/1.0 s), event_labels, baseline (around events: from the first time outside the cone of influence to 0 s; none when continuous; null for none), baseline_mode (mean|ratio|logratio|percent|zscore; logratio), bands, plot_channel (default: the channel with the largest value); points within the wavelets' cone of influence (cone_of_influence_s) are left out of the peak, band means and colour scale. analysis_type connectivity: channel × channel matrices per band of coherence (scipy.signal.coherence over the window), phase-locking value and weighted phase lag index (over epochs); parameters: measures (coherence, plv, wpli), bands, epoch_seconds (2 s: fixed-length epochs and coherence segments), around_events (false), tmin/tmax, event_labels, plot_measure, plot_band (alpha). analysis_type source_localization: sLORETA, dSPM (both dimensionless, normalised by the pre-stimulus noise as MNE's) or minimum-norm (nA·m) estimate of an evoked response on a spherical head model with standard 10-20/10-10 electrode positions (needs ≥ 8 such channels and event markers); parameters: method (sloreta|dspm|mne), snr (3), event_label (default: the most frequent), tmin/tmax (-0.2/0.8 s), baseline ([tmin, 0] s), time_s (default: the ERP's clearest component, e.g. the P300 peak).")]
    public async Task<CallToolResult> RunAnalysis(
        [Description("Session id (a recording or a filtered_data_id), e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("spectral, erp, time_frequency, connectivity or source_localization.")] string analysis_type,
        [Description("Settings for the analysis type as a JSON object; omit for the defaults listed in the tool description. Unknown keys are refused.")] JsonElement? parameters = null,
        [Description("Channels: 0-based indices or names (e.g. [\"O1\", \"O2\"]). Omit for all channels.")] JsonElement[]? channels = null,
        [Description("Window start, seconds from the start of the recording. Default 0.")] double? start_time = null,
        [Description("Window end (exclusive), seconds. Default: end of the recording.")] double? end_time = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var request = new AnalysisRequest(session_id, analysis_type, parameters, ToolArguments.Channels(channels), start_time, end_time, callers.Current);
        var report = await analyses.RunAsync(request, ProgressReports.Percent(progress, $"{analysis_type} analysis of {session_id}"), cancellationToken).ConfigureAwait(false);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = report.Summary }, .. report.Figures.Select(png => ImageContentBlock.FromBytes(png, "image/png"))],
            StructuredContent = JsonSerializer.SerializeToElement(report.Result, ToolResults.Json),
        };
    }
}

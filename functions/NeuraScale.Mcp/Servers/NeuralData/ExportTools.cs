using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Exports;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The neural-data server's export tool: a recording (or part of it) to a file, delivered as a download link.</summary>
[McpServerToolType]
public sealed class ExportTools(ExportJobs exports, CallerAccessor callers)
{
    [McpServerTool(Name = "export_neural_data", Title = "Export a recording to a file", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ExportJobResult))]
    [RequiresPermission(Permissions.NeuralDataExport, Category = RateLimitCategory.DataExport)]
    [Description("Exports a recording (or a derived/filtered one, or a window and some channels of it) to a file and returns a read-only download link (SAS URL, 24 h by default) with file_size and sha256. Formats: edf (EDF+, 16-bit, annotations; MNE, EDFbrowser, EEGLAB), bdf (BDF+, 24-bit: for a wide dynamic range), mat (MATLAB v5 struct; scipy.io.loadmat), csv (one column per channel + an events file; pandas), parquet (typed columns + metadata; pandas, DuckDB), fif (MNE raw). Small exports finish inside the call; large ones run as a job: the call waits up to wait_seconds with progress, then returns job_id and status — poll get_job_status. Repeating a request (or an idempotency_key) returns the same job.")]
    public async Task<CallToolResult> ExportNeuralData(
        [Description("Session id to export (a recording or a filtered_data_id from apply_filter), e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("edf, bdf, mat, csv, parquet or fif.")] string format,
        [Description("Channels to export: 0-based indices or names (e.g. [\"O1\", \"O2\"]). Omit for all channels.")] JsonElement[]? channels = null,
        [Description("Window start, seconds from the start of the recording. Default 0.")] double? start_time = null,
        [Description("Window end (exclusive), seconds. Default: end of the recording.")] double? end_time = null,
        [Description("Keep every n-th sample after an anti-alias FIR low-pass (as scipy.signal.decimate(x, n, ftype='fir')); 1 (default) keeps the original rate.")] int downsample_factor = 1,
        [Description("Hours the download link stays valid: more than 0, at most 168 (7 days). Default 24.")] double? link_expiry_hours = null,
        [Description("Optional key of your own (e.g. a UUID) making retries safe: the same key returns the same job. Without it, identical requests share a job.")] string? idempotency_key = null,
        [Description("Seconds to wait for a queued job before answering with its job_id (0–50, default 20).")] int? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var arguments = new ExportArguments(session_id, format, ToolArguments.Channels(channels), start_time, end_time, downsample_factor, link_expiry_hours, idempotency_key, wait_seconds, callers.Current);
        var report = ProgressReports.Percent(progress, $"Exporting {session_id} to {format?.ToUpperInvariant()}");
        return JobResults.Export(await exports.ExportAsync(arguments, report, cancellationToken).ConfigureAwait(false));
    }
}

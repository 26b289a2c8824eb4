using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Mcp.Exports;
using NeuraScale.Mcp.NeuralData;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Exports.Writers;
using NeuraScale.Signals;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Mcp.Tools;

/// <summary>The neural-data server's export tool: a recording (or part of it) to a file, delivered as a download link.</summary>
[McpServerToolType]
public sealed class ExportTools(NeuralDataService neuralData, ExportJobs jobs, CallerAccessor callers, Microsoft.Extensions.Options.IOptions<ExportOptions> options)
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
        var caller = callers.Current;
        var session = await neuralData.GetSessionAsync(session_id, caller, cancellationToken).ConfigureAwait(false);
        var parsed = ExportFormats.Parse(format)
            ?? throw new ToolArgumentException($"format '{format}' is not supported; use one of: {string.Join(", ", ExportFormats.Names)} (edf = EDF+ 16-bit, bdf = BDF+ 24-bit, mat = MATLAB v5, fif = MNE raw FIF).");
        if (downsample_factor < 1 || downsample_factor > Decimation.MaxFactor)
        {
            throw new ToolArgumentException($"downsample_factor must be an integer from 1 (no downsampling) to {Decimation.MaxFactor}; got {downsample_factor}.");
        }

        var validity = jobs.LinkValidity(link_expiry_hours);
        var wait = jobs.Wait(wait_seconds);
        var selection = SignalSelection.Resolve(session, channels, start_time, end_time, long.MaxValue, "export");
        var plan = new ExportPlan(session, new ExportRequest(session.Id.Value, parsed, selection.Channels, selection.First, selection.End, downsample_factor));
        Check(plan);

        var (job, created) = await jobs.SubmitAsync(plan.Request, caller, idempotency_key, cancellationToken).ConfigureAwait(false);
        var report = ProgressReports.Percent(progress, $"Exporting {session.Id} to {parsed.ToString().ToUpperInvariant()}");
        if (created)
        {
            await jobs.StartAsync(job, jobs.RunsInline(plan), report, cancellationToken).ConfigureAwait(false);
        }

        job = await jobs.AwaitAsync(job.Id, wait, report, cancellationToken).ConfigureAwait(false);
        return await JobTools.ResultAsync(jobs, job, caller, validity, existing: !created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses, before any work, what the format or the limits cannot take.</summary>
    private void Check(ExportPlan plan)
    {
        var request = plan.Request;
        if (plan.Outputs < 1)
        {
            throw new ToolArgumentException($"The window holds no sample at downsample_factor {plan.Factor} (one sample every {plan.Factor / plan.Session.SamplingRateHz:0.###} s); widen the window or lower downsample_factor.");
        }

        var bytes = plan.SampleBytes;
        if (bytes > options.Value.MaxExportBytes)
        {
            throw new ToolArgumentException(string.Create(CultureInfo.InvariantCulture, $"This export holds {bytes / 1e9:0.##} GB of samples; one export may hold up to {options.Value.MaxExportBytes / 1e9:0.##} GB. Export fewer channels, a shorter window or downsample."));
        }

        if (request.Format == ExportFormat.Mat && bytes > Formats.Mat.MatV5Writer.MaxDataBytes)
        {
            throw new ToolArgumentException(string.Create(CultureInfo.InvariantCulture, $"A MAT v5 file holds at most 4 GB of samples; this export has {bytes / 1e9:0.##} GB. Export fewer channels or a shorter window, downsample, or use parquet or fif."));
        }

        if (request.Format == ExportFormat.Fif && request.Channels.Select(c => plan.Session.Channels[c]).FirstOrDefault(c => FifExportWriter.VoltsPerUnit(c.Unit) is null) is { } odd)
        {
            throw new ToolArgumentException($"FIF stores volts, and channel {odd.Name} is in '{odd.Unit}'. Leave that channel out or export as edf, bdf, mat, csv or parquet.");
        }
    }
}

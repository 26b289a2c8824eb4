using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Mcp.Exports;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Mcp.Tools;

/// <summary>Tools over jobs started by other tools (today: exports): their state and result, and cancellation.</summary>
[McpServerToolType]
public sealed class JobTools(ExportJobs jobs, CallerAccessor callers)
{
    [McpServerTool(Name = "get_job_status", Title = "Job status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ExportJobResult))]
    [RequiresPermission(Permissions.NeuralDataExport)]
    [Description("State of a job you started (export_neural_data returns its job_id): queued, running (with progress), retrying, succeeded, failed (with the reason) or cancelled. A succeeded export comes with a fresh download link (SAS URL) each call, valid link_expiry_hours.")]
    public async Task<CallToolResult> GetJobStatus(
        [Description("Job id, job_… as returned by export_neural_data.")] string job_id,
        [Description("Hours a fresh download link stays valid: more than 0, at most 168. Default 24.")] double? link_expiry_hours = null,
        CancellationToken cancellationToken = default)
    {
        var caller = callers.Current;
        var validity = jobs.LinkValidity(link_expiry_hours);
        var job = await jobs.GetOwnedAsync(job_id, caller, cancellationToken).ConfigureAwait(false);
        return await ResultAsync(jobs, job, caller, validity, existing: true, cancellationToken).ConfigureAwait(false);
    }

    [McpServerTool(Name = "cancel_job", Title = "Cancel a job", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ExportJobResult))]
    [RequiresPermission(Permissions.NeuralDataExport)]
    [Description("Stops a job you started: a queued one at once, a running one within seconds (no partial file is kept). A finished job is left as it is. Returns the job's state.")]
    public async Task<CallToolResult> CancelJob(
        [Description("Job id, job_… as returned by export_neural_data.")] string job_id,
        CancellationToken cancellationToken = default)
    {
        var caller = callers.Current;
        var job = await jobs.GetOwnedAsync(job_id, caller, cancellationToken).ConfigureAwait(false);
        if (!job.IsFinished)
        {
            await jobs.RequestCancelAsync(job, caller, cancellationToken).ConfigureAwait(false);
            job = await jobs.AwaitAsync(job.Id, TimeSpan.FromSeconds(10), null, cancellationToken).ConfigureAwait(false);
        }

        return await ResultAsync(jobs, job, caller, jobs.LinkValidity(null), existing: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A job as a tool result: links when it succeeded, a tool error with the reason when it failed, a handle otherwise.</summary>
    internal static async Task<CallToolResult> ResultAsync(ExportJobs jobs, JobRecord job, Caller caller, TimeSpan linkValidity, bool existing, CancellationToken cancellationToken)
    {
        var result = await jobs.DescribeAsync(job, caller, linkValidity, existing, cancellationToken).ConfigureAwait(false);
        var summary = result.Status == ExportJobs.ExpiredStatus ? $"Export job {job.Id} is expired: {result.Message}" : job.Status switch
        {
            JobStatus.Succeeded => string.Create(CultureInfo.InvariantCulture,
                $"Exported {result.Channels!.Count} channel(s), {result.StartTimeS:0.###}–{result.EndTimeS:0.###} s of {result.SessionId} to {result.Format} ({result.FileSize / 1e6:0.##} MB, sha256 {result.Sha256![..12]}…): {result.FileName}, link valid until {result.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Open with {result.OpenWith}."),
            JobStatus.Failed => $"Export job {job.Id} failed: {job.Message} Fix the request and ask again (a failed job is restarted by the same request).",
            JobStatus.Cancelled => $"Export job {job.Id} was cancelled. {job.Message}",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Export job {job.Id} is {result.Status} ({job.Progress * 100:0}%) and continues in the background. Call get_job_status with job_id {job.Id} to follow it; the result carries the download link."),
        };
        var structured = ToolResults.Structured(summary, result);
        structured.IsError = job.Status == JobStatus.Failed;
        return structured;
    }
}

using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Jobs;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>Tools over jobs of any kind started by other tools (exports today): their state and result, and cancellation.</summary>
[McpServerToolType]
public sealed class JobTools(JobService jobs, CallerAccessor callers)
{
    [McpServerTool(Name = "get_job_status", Title = "Job status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(JobStatusResult))]
    [RequiresPermission(Permissions.NeuralDataExport)]
    [Description("State of a job you started (export_neural_data returns its job_id): queued, running (with progress), retrying, succeeded, failed (with the reason) or cancelled. A succeeded job comes with a fresh download link (SAS URL) for each of its files each call, valid link_expiry_hours, and details of what they hold.")]
    public async Task<CallToolResult> GetJobStatus(
        [Description("Job id, job_… as returned by export_neural_data.")] string job_id,
        [Description("Hours a fresh download link stays valid: more than 0, at most 168. Default 24.")] double? link_expiry_hours = null,
        CancellationToken cancellationToken = default)
    {
        var delivery = jobs.Delivery(link_expiry_hours, waitSeconds: null);
        return JobResults.Status(await jobs.GetAsync(job_id, callers.Current, delivery, cancellationToken).ConfigureAwait(false));
    }

    [McpServerTool(Name = "cancel_job", Title = "Cancel a job", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(JobStatusResult))]
    [RequiresPermission(Permissions.NeuralDataExport)]
    [Description("Stops a job you started: a queued one at once, a running one within seconds (no partial file is kept). A finished job is left as it is. Returns the job's state.")]
    public async Task<CallToolResult> CancelJob(
        [Description("Job id, job_… as returned by export_neural_data.")] string job_id,
        CancellationToken cancellationToken = default) =>
        JobResults.Status(await jobs.CancelAsync(job_id, callers.Current, cancellationToken).ConfigureAwait(false));
}

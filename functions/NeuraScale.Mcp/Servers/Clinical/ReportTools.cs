using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Jobs;
using NeuraScale.Processing.Reports;
using NeuraScale.Storage.Jobs;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("A report job: its state and, once written, the PDF's download link, its sections, a text preview and the findings.")]
public sealed record ReportJobResult(
    [property: Description("Job id (job_…): pass it to get_job_status to follow the report or get a fresh link.")] string JobId,
    [property: Description("queued, running, retrying, succeeded, failed, cancelled, or expired (the PDF was deleted after the retention period: ask again).")] string Status,
    [property: Description("Fraction done, 0–1.")] double Progress,
    [property: Description("What is happening or went wrong, in words.")] string? Message,
    [property: Description("clinical, research or quality.")] string ReportType,
    [property: Description("The sessions reported on.")] IReadOnlyList<string> SessionIds,
    [property: Description("The sections, in order.")] IReadOnlyList<string> Sections,
    [property: Description("Read-only HTTPS link to the PDF (a SAS URL for this one file); null until written. Anyone holding it can download the report until expires_at: it may carry identity — share it only with the care team.")] string? DownloadUrl,
    [property: Description("When download_url stops working (ISO 8601, UTC).")] DateTimeOffset? ExpiresAt,
    [property: Description("The PDF's file name.")] string? FileName,
    [property: Description("PDF size, bytes.")] long? FileSize,
    [property: Description("SHA-256 of the PDF (hex).")] string? Sha256,
    [property: Description("Pages in the PDF.")] int? Pages,
    [property: Description("The summary and findings as text (identity never appears here).")] string? Preview,
    [property: Description("The findings, each computed from a number in the report; machine-generated, pending clinician review.")] IReadOnlyList<string>? Findings,
    [property: Description("True when the PDF prints the patient's name, birth date and MRN (caller with phi.read; never on research reports).")] bool IdentityIncluded,
    [property: Description("True when an identical earlier request already had this job.")] bool Existing);

/// <summary>Reports on recordings as PDF documents (thin façade over <see cref="ReportJobs"/>).</summary>
[McpServerToolType]
public sealed class ReportTools(ReportJobs reports, ProtocolRunService runs, CallerAccessor callers)
{
    [McpServerTool(Name = "generate_report", Title = "Write a clinical, research or quality report (PDF)", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ReportJobResult))]
    [RequiresPermission(Permissions.ClinicalRead, Category = RateLimitCategory.DataExport)]
    [Description("Writes a PDF report on one patient's recordings and returns a download link (SAS URL, 24 h by default), the section list, a text preview and the findings. clinical: identity (with phi.read), recording and montage, signal quality per channel, impedances (with protocol_run_id), spectra and band powers, posterior dominant rhythm, alpha reactivity eyes closed vs eyes open, findings stated from the numbers (machine-generated, pending review) and a signature block; needs clinical_care consent. research: the same numbers under the pseudonym only; needs research consent. quality: electrode and signal quality, artifacts, line noise. Eye states come from protocol markers, or give conditions for recordings without them. Runs as a job: the call waits up to wait_seconds, then returns job_id — poll get_job_status.")]
    public async Task<CallToolResult> GenerateReport(
        [Description("Sessions of one patient (1–8), e.g. [\"ses_…\"] from a protocol run, or an eyes-open and an eyes-closed recording.")] string[] session_ids,
        [Description("clinical (default), research or quality.")] string? report_type = null,
        [Description("Sections to include, in any order: summary, methods, results, conclusions (default all four).")] string[]? sections = null,
        [Description("Eye state of whole sessions without protocol markers: {\"ses_…\": \"eyes_closed\", \"ses_…\": \"eyes_open\"}.")] Dictionary<string, string>? conditions = null,
        [Description("The protocol run (run_…) that recorded the session: adds its impedances and step outcomes.")] string? protocol_run_id = null,
        [Description("Hours the download link stays valid: more than 0, at most 168. Default 24.")] double? link_expiry_hours = null,
        [Description("Seconds to wait for the report before answering with its job_id (0–50, default 20).")] int? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var caller = callers.Current;
        var run = protocol_run_id is null ? null : (await runs.GetAsync(caller, protocol_run_id, cancellationToken).ConfigureAwait(false)).Result
            ?? throw new InvalidRequestException($"Protocol run {protocol_run_id} has not ended yet; generate the report once get_protocol_run shows it completed or stopped.");
        var arguments = new ReportArguments(session_ids, report_type, sections, conditions, run, link_expiry_hours, wait_seconds, caller);
        var report = ProgressReports.Percent(progress, "Writing the report");
        return Result(await reports.GenerateAsync(arguments, report, cancellationToken).ConfigureAwait(false));
    }

    internal static CallToolResult Result(JobView view)
    {
        var details = view.Details?.Deserialize<ReportDetails>() ?? throw new InvalidOperationException($"Job {view.Job.Id} has no report details.");
        var main = view.Job.Status == JobStatus.Succeeded && !view.Expired && view.Files.Count > 0 ? view.Files[0] : null;
        var result = new ReportJobResult(
            view.Job.Id, view.Status, Math.Round(view.Job.Progress, 3), view.Message, details.ReportType, details.SessionIds, details.Sections,
            main?.Link.Url.ToString(), main?.Link.ExpiresAt, main?.File.FileName, main?.File.SizeBytes, main?.File.Sha256,
            details.Pages, details.Preview, details.Findings, details.IdentityIncluded, view.Existing);
        var summary = main is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{details.Title}: {details.Pages} page(s), {main.File.SizeBytes / 1e3:0} kB, link valid until {main.Link.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Findings (machine-generated, pending clinician review):\n- {string.Join("\n- ", details.Findings ?? [])}")
            : view.Job.Status == JobStatus.Failed
                ? $"Report job {view.Job.Id} failed: {view.Job.Message}"
                : string.Create(CultureInfo.InvariantCulture, $"Report job {view.Job.Id} is {view.Status} ({view.Job.Progress * 100:0}%) and continues in the background; call generate_report again with the same arguments (or get_job_status with job_id {view.Job.Id}) for the link.");
        var structured = ToolResults.Structured(summary, result);
        structured.IsError = view.Job.Status == JobStatus.Failed;
        return structured;
    }
}

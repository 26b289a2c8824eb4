using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Compliance;

namespace NeuraScale.Mcp.Servers.Clinical;

/// <summary>HIPAA compliance tools for the compliance officer (thin façade over <see cref="ComplianceService"/>); consent status is get_consent.</summary>
[McpServerToolType]
public sealed class ComplianceTools(ComplianceService compliance, CallerAccessor callers)
{
    [McpServerTool(Name = "get_access_report", Title = "Who accessed a patient's data", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AccessReport))]
    [RequiresPermission(Permissions.ComplianceAdmin)]
    [Description("An accounting of accesses for one patient from the audit log: every call that named the patient, one of their recordings (derived ones too) or an export/report of them — who, which tool or action, when, and the outcome (refused calls included) — with a per-caller summary (accesses, refusals, identity reads, download links issued). Covers the last `days` days.")]
    public async Task<CallToolResult> GetAccessReport(
        [Description("The patient's pseudonym, psn_….")] string patient_id,
        [Description("Days back from now to cover, 1–366 (default 90).")] int? days = null,
        CancellationToken cancellationToken = default)
    {
        var report = await compliance.AccessReportAsync(callers.Current, patient_id, days, cancellationToken).ConfigureAwait(false);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{report.Events.Count}{(report.Truncated ? " (latest)" : "")} accesses to {report.PatientId}'s data ({report.SessionIds.Count} recording(s)) from {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} by {report.Callers.Count} caller(s): {string.Join("; ", report.Callers.Take(5).Select(c => $"{c.Caller} {c.Accesses} ({c.Refused} refused, {c.IdentityReads} identity reads, {c.Exports} download links)"))}.");
        return ToolResults.Structured(text, report);
    }

    [McpServerTool(Name = "get_retention_policy", Title = "The retention policy", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RetentionPolicy))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("How long each kind of data is kept (identity, recordings, reports and exports, Capture files, consent, audit log), what enforces it, and what an erasure removes or keeps.")]
    public CallToolResult GetRetentionPolicy()
    {
        var policy = compliance.Policy();
        return ToolResults.Structured(string.Join("\n", policy.Rules.Select(r => $"{r.Data}: kept {r.Kept} ({r.EnforcedBy}); on erasure {r.OnErasure}.")) + "\n" + policy.Note, policy);
    }

    [McpServerTool(Name = "request_erasure", Title = "Erase a patient's identity", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ErasureResult))]
    [RequiresPermission(Permissions.ComplianceAdmin)]
    [Description("Erases a patient's identifying data (name, date of birth, MRN) and deletes every report and export file of their recordings (reports may print identity), as the retention policy says; the recordings and consent history stay under the pseudonym, and the audit log is left intact and re-verified. Cannot be undone: confirm must repeat the patient_id. Audited.")]
    public async Task<CallToolResult> RequestErasure(
        [Description("The patient's pseudonym, psn_….")] string patient_id,
        [Description("Why, as a code: patient_request, consent_withdrawn, registration_error or retention_expired.")] string reason,
        [Description("The patient_id again, to confirm an erasure that cannot be undone.")] string confirm,
        CancellationToken cancellationToken = default)
    {
        var result = await compliance.EraseAsync(callers.Current, patient_id, reason, confirm, cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured(result.Summary, result);
    }
}

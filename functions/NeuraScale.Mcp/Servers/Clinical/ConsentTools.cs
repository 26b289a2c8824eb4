using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Clinical;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("A patient's consent: the standing decision per purpose and every decision recorded, oldest first.")]
public sealed record ConsentView(string PatientId, IReadOnlyList<ConsentStatus> Current, IReadOnlyList<ConsentDecision> History);

public sealed record ConsentDecision(string Purpose, bool Given, DateTimeOffset At, string RecordedBy, string? Note);

/// <summary>Consent per patient and purpose (thin façade over <see cref="ConsentService"/>).</summary>
[McpServerToolType]
public sealed class ConsentTools(ConsentService consent, CallerAccessor callers)
{
    [McpServerTool(Name = "record_consent", Title = "Record a patient's consent decision", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ConsentView))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Records that a patient gave or withdrew consent for a purpose (clinical_care: recording and reports for their care; research), with when and by whom (you). Decisions are never overwritten: the latest per purpose stands, and recordings and reports check it.")]
    public async Task<CallToolResult> RecordConsent(
        [Description("The patient's pseudonym, psn_….")] string patient_id,
        [Description("clinical_care or research.")] string purpose,
        [Description("true: consent given; false: withdrawn.")] bool given,
        [Description("Optional note, at most 500 characters (e.g. 'written form v3 signed'); no identifying text.")] string? note = null,
        CancellationToken cancellationToken = default)
    {
        await consent.RecordAsync(callers.Current, patient_id, purpose, given, note, cancellationToken).ConfigureAwait(false);
        return await View(patient_id, $"Consent for {purpose} {(given ? "given" : "withdrawn")}, recorded.", cancellationToken).ConfigureAwait(false);
    }

    [McpServerTool(Name = "get_consent", Title = "A patient's consent", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ConsentView))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("A patient's consent status per purpose (clinical_care, research) and the full history of decisions with when and by whom.")]
    public Task<CallToolResult> GetConsent([Description("The patient's pseudonym, psn_….")] string patient_id, CancellationToken cancellationToken = default) =>
        View(patient_id, null, cancellationToken);

    private async Task<CallToolResult> View(string patientId, string? lead, CancellationToken cancellationToken)
    {
        var (current, history) = await consent.GetAsync(callers.Current, patientId, cancellationToken).ConfigureAwait(false);
        var view = new ConsentView(patientId.Trim(), current, [.. history.Select(Decision)]);
        var text = string.Join("; ", current.Select(c => $"{c.Purpose}: {(c.Given ? "given" : c.At is null ? "none recorded" : "withdrawn")}"));
        return ToolResults.Structured(lead is null ? text : $"{lead} {text}", view);
    }

    private static ConsentDecision Decision(ConsentRecord r) => new(r.Purpose, r.Given, r.At, r.RecordedBy, r.Note);
}

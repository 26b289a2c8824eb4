using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Patients;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("Identifying data of one patient. Protected health information: shown only to callers with phi.read, and every read is audited.")]
public sealed record PatientRecord(
    [property: Description("Patient pseudonym used everywhere else (psn_…).")] string PatientId,
    [property: Description("Given name.")] string GivenName,
    [property: Description("Family name.")] string FamilyName,
    [property: Description("Date of birth, ISO 8601 (yyyy-mm-dd).")] string DateOfBirth,
    [property: Description("Medical record number.")] string MedicalRecordNumber,
    [property: Description("When the patient was registered, ISO 8601 UTC.")] DateTimeOffset RegisteredAt);

/// <summary>The clinical server's patient tools.</summary>
[McpServerToolType]
public sealed class PatientTools(PatientDirectory patients, CallerAccessor callers)
{
    [McpServerTool(Name = "get_patient", Title = "Read a patient's identifying data", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PatientRecord))]
    [RequiresPermission(Permissions.PhiRead)]
    [Description("Returns the name, date of birth and medical record number behind a patient pseudonym. This is protected health information: use it only when the task needs the person's identity (e.g. a clinical report); every read is recorded in the audit log.")]
    public async Task<CallToolResult> GetPatient(
        [Description("Patient pseudonym, e.g. psn_abcdefghijklmnop (from query_sessions).")] string patient_id,
        CancellationToken cancellationToken = default)
    {
        var patient = await patients.GetAsync(patient_id, callers.Current, cancellationToken).ConfigureAwait(false);
        var identity = patient.Identity;
        var record = new PatientRecord(patient.Pseudonym.Value, identity.GivenName, identity.FamilyName, identity.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), identity.MedicalRecordNumber, patient.RegisteredAt);
        return ToolResults.Structured($"Identifying data for {patient.Pseudonym} (PHI; this read is audited).", record);
    }
}

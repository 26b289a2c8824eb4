using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Patients;
using NeuraScale.Domain;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("Identifying data of one patient. Protected health information: shown only to callers with phi.read, and every read is audited.")]
public sealed record PatientRecord(
    [property: Description("Patient pseudonym used everywhere else (psn_…).")] string PatientId,
    [property: Description("Given name.")] string GivenName,
    [property: Description("Family name.")] string FamilyName,
    [property: Description("Date of birth, ISO 8601 (yyyy-mm-dd).")] string DateOfBirth,
    [property: Description("Medical record number.")] string MedicalRecordNumber,
    [property: Description("When the patient was registered, ISO 8601 UTC.")] DateTimeOffset RegisteredAt);

[Description("A patient as you may see them: the pseudonym always; name, date of birth and MRN only with phi.read.")]
public sealed record PatientSummary(
    [property: Description("Patient pseudonym (psn_…), used everywhere else.")] string PatientId,
    [property: Description("When the patient was registered, ISO 8601 UTC.")] DateTimeOffset RegisteredAt,
    [property: Description("Given name (phi.read only).")] string? GivenName,
    [property: Description("Family name (phi.read only).")] string? FamilyName,
    [property: Description("Date of birth yyyy-mm-dd (phi.read only).")] string? DateOfBirth,
    [property: Description("Medical record number (phi.read only).")] string? MedicalRecordNumber)
{
    public static PatientSummary From(PatientMatch match) => new(
        match.Pseudonym.Value, match.RegisteredAt, match.Identity?.GivenName, match.Identity?.FamilyName,
        match.Identity?.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), match.Identity?.MedicalRecordNumber);
}

[Description("Patients found.")]
public sealed record PatientList(IReadOnlyList<PatientSummary> Patients, bool IdentitiesShown);

/// <summary>The clinical server's patient tools (thin façade over <see cref="PatientDirectory"/>).</summary>
[McpServerToolType]
public sealed class PatientTools(PatientDirectory patients, CallerAccessor callers, TimeProvider time)
{
    [McpServerTool(Name = "register_patient", Title = "Register a patient", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PatientSummary))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Registers a patient and returns their pseudonym (psn_…), which every other tool uses; the identity stays in the patient registry. A medical record number already registered is refused. Audited.")]
    public async Task<CallToolResult> RegisterPatient(
        [Description("Given name.")] string given_name,
        [Description("Family name.")] string family_name,
        [Description("Date of birth, yyyy-mm-dd.")] string date_of_birth,
        [Description("Hospital medical record number (letters, digits, hyphens, periods; up to 32).")] string medical_record_number,
        CancellationToken cancellationToken = default)
    {
        var match = await patients.RegisterAsync(callers.Current, given_name, family_name, date_of_birth, medical_record_number, time, cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured($"Registered as {match.Pseudonym}; use this pseudonym in every other tool.", PatientSummary.From(match));
    }

    [McpServerTool(Name = "update_patient", Title = "Correct a patient's identifying data", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PatientSummary))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Corrects a patient's name, date of birth or medical record number; the pseudonym and everything recorded under it stay. Needs phi.read too (you see what you change). Audited.")]
    public async Task<CallToolResult> UpdatePatient(
        [Description("The patient's pseudonym, psn_….")] string patient_id,
        [Description("Corrected given name.")] string? given_name = null,
        [Description("Corrected family name.")] string? family_name = null,
        [Description("Corrected date of birth, yyyy-mm-dd.")] string? date_of_birth = null,
        [Description("Corrected medical record number.")] string? medical_record_number = null,
        CancellationToken cancellationToken = default)
    {
        var match = await patients.UpdateAsync(callers.Current, patient_id, given_name, family_name, date_of_birth, medical_record_number, time, cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured($"Updated {match.Pseudonym}.", PatientSummary.From(match));
    }

    [McpServerTool(Name = "find_patients", Title = "Find patients", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PatientList))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("Finds patients by medical record number (exact) or family name (beginning; given_name and date_of_birth narrow it) — identifying criteria, allowed only with phi.read; every search is audited. With no criteria, lists the most recently registered patients you may see: pseudonyms only unless you have phi.read.")]
    public async Task<CallToolResult> FindPatients(
        [Description("Medical record number, exact.")] string? medical_record_number = null,
        [Description("Family name or its beginning (case and accents ignored).")] string? family_name = null,
        [Description("Given name or its beginning, to narrow a family-name search.")] string? given_name = null,
        [Description("Date of birth yyyy-mm-dd, to narrow a family-name search.")] string? date_of_birth = null,
        [Description("At most this many, 1–50 (default 20).")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var found = await patients.FindAsync(callers.Current, medical_record_number, family_name, given_name, date_of_birth, limit, time, cancellationToken).ConfigureAwait(false);
        var shown = callers.Current.Has(Permissions.PhiRead);
        var list = new PatientList([.. found.Select(PatientSummary.From)], shown);
        return ToolResults.Structured($"{list.Patients.Count} patient(s){(shown ? "" : " (pseudonyms only: identities need phi.read)")}: {string.Join(", ", list.Patients.Select(p => p.PatientId))}.", list);
    }

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

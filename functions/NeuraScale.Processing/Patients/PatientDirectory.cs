using System.Globalization;
using System.Text.RegularExpressions;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Processing.Patients;

/// <summary>A patient as a caller may see them: the identity only for a caller with phi.read.</summary>
public sealed record PatientMatch(PatientPseudonym Pseudonym, DateTimeOffset RegisteredAt, PatientIdentity? Identity);

/// <summary>
/// The only way identifying patient data is read or written: checks the caller's patient scope and phi.read, refuses
/// identifying search criteria without phi.read, validates identities, and records every read, search and change in
/// the audit log (who, which pseudonyms, when — never the identifying values), whether or not anything was found.
/// </summary>
public sealed partial class PatientDirectory(PatientRegistry registry, IAuditLog audit)
{
    public const int MaxResults = 50;

    public async Task<Patient> GetAsync(string patientId, Caller caller, CancellationToken cancellationToken)
    {
        var pseudonym = Pseudonym(patientId);
        var patient = caller.CanSee(pseudonym) ? await registry.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) : null;
        await AuditAsync(caller, "phi/read:patient", [pseudonym.Value], patient is null ? "not_found" : "ok").ConfigureAwait(false);
        if (patient is null && caller.CanSee(pseudonym) && await registry.GetErasureAsync(pseudonym, cancellationToken).ConfigureAwait(false) is { } erasure)
        {
            throw new InvalidRequestException($"patient_id '{pseudonym}': the identity was erased on {erasure.ErasedAt:yyyy-MM-dd} ({erasure.Reason}); the recordings remain under the pseudonym only.");
        }

        return patient ?? throw new InvalidRequestException($"patient_id '{pseudonym}' does not exist. Use query_sessions to see the patients of sessions you can read.");
    }

    /// <summary>Registers a patient; a medical record number already registered is refused.</summary>
    public async Task<PatientMatch> RegisterAsync(Caller caller, string givenName, string familyName, string dateOfBirth, string medicalRecordNumber, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var identity = Identity(givenName, familyName, dateOfBirth, medicalRecordNumber, time);
        try
        {
            var patient = await registry.RegisterAsync(identity, cancellationToken).ConfigureAwait(false);
            await AuditAsync(caller, "phi/write:register", [patient.Pseudonym.Value], "ok").ConfigureAwait(false);
            return new PatientMatch(patient.Pseudonym, patient.RegisteredAt, caller.Has(Permissions.PhiRead) ? patient.Identity : null);
        }
        catch (DuplicateMedicalRecordNumberException ex)
        {
            await AuditAsync(caller, "phi/write:register", [ex.Existing.Value], "duplicate").ConfigureAwait(false);
            throw new InvalidRequestException(caller.Has(Permissions.PhiRead) && caller.CanSee(ex.Existing)
                ? $"medical_record_number is already registered, as {ex.Existing}; use update_patient to correct that record."
                : "medical_record_number is already registered to another patient; a colleague with phi.read can find them with find_patients.");
        }
    }

    /// <summary>Corrects a patient's identity; fields left null keep their value. Needs phi.read (you see what you change).</summary>
    public async Task<PatientMatch> UpdateAsync(Caller caller, string patientId, string? givenName, string? familyName, string? dateOfBirth, string? medicalRecordNumber, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        RequirePhi(caller, "update_patient changes identifying data");
        if (givenName is null && familyName is null && dateOfBirth is null && medicalRecordNumber is null)
        {
            throw new InvalidRequestException("update_patient needs at least one of given_name, family_name, date_of_birth, medical_record_number.");
        }

        var current = await GetAsync(patientId, caller, cancellationToken).ConfigureAwait(false);
        var identity = Identity(
            givenName ?? current.Identity.GivenName,
            familyName ?? current.Identity.FamilyName,
            dateOfBirth ?? current.Identity.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            medicalRecordNumber ?? current.Identity.MedicalRecordNumber,
            time);
        try
        {
            var updated = await registry.UpdateAsync(current.Pseudonym, identity, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidRequestException($"patient_id '{current.Pseudonym}' does not exist.");
            await AuditAsync(caller, "phi/write:update", [current.Pseudonym.Value], "ok").ConfigureAwait(false);
            return new PatientMatch(updated.Pseudonym, updated.RegisteredAt, updated.Identity);
        }
        catch (DuplicateMedicalRecordNumberException ex)
        {
            await AuditAsync(caller, "phi/write:update", [current.Pseudonym.Value, ex.Existing.Value], "duplicate").ConfigureAwait(false);
            throw new InvalidRequestException($"medical_record_number is already registered, as {ex.Existing}; one MRN belongs to one patient.");
        }
    }

    /// <summary>
    /// Patients by MRN (exact) or family name (prefix; given name and date of birth narrow it) — identifying criteria,
    /// so only with phi.read. Without criteria: the most recently registered patients, pseudonyms only unless phi.read.
    /// Always limited to the caller's patient scope.
    /// </summary>
    public async Task<IReadOnlyList<PatientMatch>> FindAsync(Caller caller, string? medicalRecordNumber, string? familyName, string? givenName, string? dateOfBirth, int? limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var max = limit ?? 20;
        if (max is < 1 or > MaxResults)
        {
            throw new InvalidRequestException($"limit must be 1–{MaxResults}; {max} was given.");
        }

        var identifying = !string.IsNullOrWhiteSpace(medicalRecordNumber) || !string.IsNullOrWhiteSpace(familyName) || !string.IsNullOrWhiteSpace(givenName) || !string.IsNullOrWhiteSpace(dateOfBirth);
        IReadOnlyList<Patient> found;
        if (identifying)
        {
            RequirePhi(caller, "Searching by medical record number, name or date of birth uses identifying data");
            if (!string.IsNullOrWhiteSpace(medicalRecordNumber))
            {
                Mrn(medicalRecordNumber);
                found = await registry.FindByMrnAsync(medicalRecordNumber, cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
            }
            else if (!string.IsNullOrWhiteSpace(familyName))
            {
                Name("family_name", familyName);
                found = await registry.FindByFamilyNameAsync(familyName, MaxResults * 4, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new InvalidRequestException("Search by medical_record_number, or by family_name (with given_name and date_of_birth to narrow it); given_name or date_of_birth alone are not enough.");
            }

            var dob = string.IsNullOrWhiteSpace(dateOfBirth) ? (DateOnly?)null : BirthDate(dateOfBirth, time);
            found = [.. found.Where(p => (givenName is null || PatientRegistry.NameKey(p.Identity.GivenName).StartsWith(PatientRegistry.NameKey(givenName), StringComparison.Ordinal)) && (dob is null || p.Identity.DateOfBirth == dob))];
        }
        else
        {
            found = await registry.ListAsync(caller.PatientScope is null ? max : 1000, cancellationToken).ConfigureAwait(false);
        }

        var visible = found.Where(p => caller.CanSee(p.Pseudonym)).Take(max).ToList();
        if (identifying || caller.Has(Permissions.PhiRead))
        {
            await AuditAsync(caller, identifying ? "phi/read:search" : "phi/read:list", [.. visible.Select(p => p.Pseudonym.Value)], visible.Count == 0 ? "not_found" : "ok").ConfigureAwait(false);
        }

        return [.. visible.Select(p => new PatientMatch(p.Pseudonym, p.RegisteredAt, caller.Has(Permissions.PhiRead) ? p.Identity : null))];
    }

    private static void RequirePhi(Caller caller, string what)
    {
        if (!caller.Has(Permissions.PhiRead))
        {
            throw new InvalidRequestException($"{what}: it needs the permission 'phi.read'. Without it, find_patients with no criteria lists pseudonyms.");
        }
    }

    private static PatientPseudonym Pseudonym(string? patientId) =>
        PatientPseudonym.TryParse(patientId?.Trim(), out var pseudonym)
            ? pseudonym
            : throw new InvalidRequestException($"patient_id '{patientId}' is not a patient pseudonym; expected 'psn_' followed by 16 characters a-z or 2-7, as find_patients and query_sessions show.");

    private static PatientIdentity Identity(string? givenName, string? familyName, string? dateOfBirth, string? mrn, TimeProvider time) =>
        new(Name("given_name", givenName), Name("family_name", familyName), BirthDate(dateOfBirth, time), Mrn(mrn));

    private static string Name(string field, string? value)
    {
        var name = value?.Trim() ?? "";
        return NamePattern().IsMatch(name)
            ? name
            : throw new InvalidRequestException($"{field} must be 1–64 letters, with spaces, hyphens, apostrophes or periods between them.");
    }

    private static string Mrn(string? value)
    {
        var mrn = value?.Trim() ?? "";
        return MrnPattern().IsMatch(mrn)
            ? mrn
            : throw new InvalidRequestException("medical_record_number must be 1–32 letters, digits, hyphens or periods (as the hospital issues it).");
    }

    private static DateOnly BirthDate(string? value, TimeProvider time)
    {
        if (!DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InvalidRequestException($"date_of_birth '{value}' must be a date as yyyy-mm-dd, e.g. 1980-01-31.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return date <= today && date.Year >= 1880
            ? date
            : throw new InvalidRequestException($"date_of_birth {date:yyyy-MM-dd} must be in the past (and after 1880).");
    }

    private async Task AuditAsync(Caller caller, string action, IReadOnlyList<string> resources, string outcome) =>
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = action, Resources = resources, Outcome = outcome }, CancellationToken.None).ConfigureAwait(false);

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’. -]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$")]
    private static partial Regex MrnPattern();
}

using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Processing.Clinical;

/// <summary>What consent can be given for.</summary>
public static class ConsentPurposes
{
    /// <summary>Recording and reporting for the patient's own care.</summary>
    public const string ClinicalCare = "clinical_care";

    /// <summary>Recording for, and use of the recordings in, research.</summary>
    public const string Research = "research";

    public static readonly IReadOnlyList<string> All = [ClinicalCare, Research];
}

/// <summary>Where a patient's consent stands for one purpose: the latest decision, or none.</summary>
public sealed record ConsentStatus(string Purpose, bool Given, DateTimeOffset? At, string? RecordedBy);

/// <summary>
/// Consent per patient and purpose: recorded (given or withdrawn, with when and by whom; never overwritten), read, and
/// required before anything records or reports on a patient. Every decision is audited.
/// </summary>
public sealed class ConsentService(ConsentRegistry registry, PatientRegistry patients, IAuditLog audit, TimeProvider time)
{
    public async Task<ConsentStatus> RecordAsync(Caller caller, string patientId, string purpose, bool given, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var patient = await KnownPatientAsync(caller, patientId, allowErased: false, cancellationToken).ConfigureAwait(false);
        var checkedPurpose = Purpose(purpose);
        if (note is { Length: > 500 })
        {
            throw new InvalidRequestException($"note is {note.Length} characters; at most 500 (e.g. 'written consent form v3 signed'; no identifying text).");
        }

        var record = new ConsentRecord(patient, checkedPurpose, given, time.GetUtcNow(), caller.Id, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        await registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = given ? "consent/given" : "consent/withdrawn", Resources = [patient.Value, checkedPurpose], Outcome = "ok" }, CancellationToken.None).ConfigureAwait(false);
        return new ConsentStatus(checkedPurpose, given, record.At, record.RecordedBy);
    }

    /// <summary>The standing decision for every purpose, and the whole history.</summary>
    public async Task<(IReadOnlyList<ConsentStatus> Current, IReadOnlyList<ConsentRecord> History)> GetAsync(Caller caller, string patientId, CancellationToken cancellationToken)
    {
        // The history outlives an erased identity: it is the evidence each recording was lawful.
        var patient = await KnownPatientAsync(caller, patientId, allowErased: true, cancellationToken).ConfigureAwait(false);
        var history = await registry.HistoryAsync(patient, cancellationToken).ConfigureAwait(false);
        return (Current(history), history);
    }

    /// <summary>Refuses, saying what is missing, unless the patient's latest decision for <paramref name="purpose"/> is consent given.</summary>
    public async Task RequireAsync(PatientPseudonym patient, string purpose, CancellationToken cancellationToken)
    {
        if (await patients.GetErasureAsync(patient, cancellationToken).ConfigureAwait(false) is { } erasure)
        {
            throw new InvalidRequestException($"Patient {patient}'s identity was erased on {erasure.ErasedAt:yyyy-MM-dd} ({erasure.Reason}); nothing new may be recorded or reported for this pseudonym.");
        }

        var status = Current(await registry.HistoryAsync(patient, cancellationToken).ConfigureAwait(false)).Single(s => s.Purpose == purpose);
        if (!status.Given)
        {
            throw new InvalidRequestException(status.At is null
                ? $"Patient {patient} has no recorded consent for {purpose}. Record it with record_consent (purpose '{purpose}') once the patient has given it."
                : $"Patient {patient} withdrew consent for {purpose} on {status.At:yyyy-MM-dd HH:mm} UTC; nothing may be recorded or reported for that purpose.");
        }
    }

    private static IReadOnlyList<ConsentStatus> Current(IReadOnlyList<ConsentRecord> history) =>
        [.. ConsentPurposes.All.Select(p => history.LastOrDefault(r => r.Purpose == p) is { } last
            ? new ConsentStatus(p, last.Given, last.At, last.RecordedBy)
            : new ConsentStatus(p, false, null, null))];

    private static string Purpose(string? purpose) =>
        purpose?.Trim() is { } p && ConsentPurposes.All.Contains(p)
            ? p
            : throw new InvalidRequestException($"purpose '{purpose}' must be one of {string.Join(", ", ConsentPurposes.All)}.");

    private async Task<PatientPseudonym> KnownPatientAsync(Caller caller, string? patientId, bool allowErased, CancellationToken cancellationToken)
    {
        if (!PatientPseudonym.TryParse(patientId?.Trim(), out var patient))
        {
            throw new InvalidRequestException($"patient_id '{patientId}' is not a patient pseudonym; expected 'psn_' followed by 16 characters a-z or 2-7 (find_patients or register_patient return it).");
        }

        if (!caller.CanSee(patient) || await patients.GetAsync(patient, cancellationToken).ConfigureAwait(false) is null)
        {
            var erasure = caller.CanSee(patient) ? await patients.GetErasureAsync(patient, cancellationToken).ConfigureAwait(false) : null;
            if (erasure is not null && allowErased)
            {
                return patient;
            }

            throw new InvalidRequestException(erasure is null
                ? $"patient_id '{patient}' does not exist among the patients you may see."
                : $"patient_id '{patient}': the identity was erased on {erasure.ErasedAt:yyyy-MM-dd} ({erasure.Reason}); no new consent can be recorded for it (register the person anew).");
        }

        return patient;
    }
}

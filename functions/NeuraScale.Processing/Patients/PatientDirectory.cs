using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Processing.Patients;

/// <summary>
/// The only way identifying patient data is read: checks the caller's patient scope and records every read in the
/// audit log (who, which pseudonym, when), whether or not the patient exists.
/// </summary>
public sealed class PatientDirectory(PatientRegistry registry, IAuditLog audit)
{
    public async Task<Patient> GetAsync(string patientId, Caller caller, CancellationToken cancellationToken)
    {
        if (!PatientPseudonym.TryParse(patientId?.Trim(), out var pseudonym))
        {
            throw new InvalidRequestException($"patient_id '{patientId}' is not a patient pseudonym; expected 'psn_' followed by 16 characters a-z or 2-7, as shown in query_sessions results.");
        }

        var patient = caller.CanSee(pseudonym) ? await registry.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) : null;
        await audit.AppendAsync(
            new AuditEntry { Caller = caller.Id, Action = "phi/read:patient", Resources = [pseudonym.Value], Outcome = patient is null ? "not_found" : "ok" },
            CancellationToken.None).ConfigureAwait(false);
        return patient ?? throw new InvalidRequestException($"patient_id '{pseudonym}' does not exist. Use query_sessions to see the patients of sessions you can read.");
    }
}

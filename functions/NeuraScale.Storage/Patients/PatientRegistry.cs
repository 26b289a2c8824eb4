using Azure.Data.Tables;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Patients;

/// <summary>
/// The only place identifying patient data is stored: a table of its own, keyed by pseudonym, so that
/// access to it can be granted, audited and (in Azure) encrypted apart from the signal data.
/// </summary>
public sealed class PatientRegistry(StorageClients clients, TimeProvider time)
{
    private const string Partition = "p";
    private readonly TableClient _table = clients.PatientsTable;

    /// <summary>Registers a patient under a new pseudonym.</summary>
    public async Task<Patient> RegisterAsync(PatientIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var patient = new Patient(PatientPseudonym.New(), identity, time.GetUtcNow());
        await _table.AddEntityAsync(
            new TableEntity(Partition, patient.Pseudonym.Value)
            {
                ["GivenName"] = identity.GivenName,
                ["FamilyName"] = identity.FamilyName,
                ["DateOfBirth"] = identity.DateOfBirth.ToString("O"),
                ["Mrn"] = identity.MedicalRecordNumber,
                ["RegisteredAt"] = patient.RegisteredAt,
            },
            cancellationToken).ConfigureAwait(false);
        return patient;
    }

    public async Task<Patient?> GetAsync(PatientPseudonym pseudonym, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, pseudonym.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new Patient(
            pseudonym,
            new PatientIdentity(e.GetString("GivenName"), e.GetString("FamilyName"), DateOnly.Parse(e.GetString("DateOfBirth"), System.Globalization.CultureInfo.InvariantCulture), e.GetString("Mrn")),
            e.GetDateTimeOffset("RegisteredAt") ?? default);
    }
}

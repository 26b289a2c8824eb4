using Azure.Data.Tables;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Patients;

/// <summary>One consent decision: for what, given or withdrawn, when and recorded by whom.</summary>
public sealed record ConsentRecord(PatientPseudonym Patient, string Purpose, bool Given, DateTimeOffset At, string RecordedBy, string? Note);

/// <summary>
/// Consent decisions, kept as an append-only history beside the patient registry (same table, partition
/// <c>c_{pseudonym}</c>, rows in time order): a decision is never overwritten, the latest per purpose stands.
/// </summary>
public sealed class ConsentRegistry(StorageClients clients)
{
    private readonly TableClient _table = clients.PatientsTable;

    public async Task AddAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Row keys sort by time; the random tail keeps two decisions in the same tick apart.
        var row = $"{record.At.UtcTicks:D19}_{Guid.NewGuid():N}";
        await _table.AddEntityAsync(
            new TableEntity(Partition(record.Patient), row)
            {
                ["Purpose"] = record.Purpose,
                ["Given"] = record.Given,
                ["At"] = record.At,
                ["RecordedBy"] = record.RecordedBy,
                ["Note"] = record.Note,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every decision for a patient, oldest first.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> HistoryAsync(PatientPseudonym patient, CancellationToken cancellationToken = default)
    {
        var records = new List<ConsentRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition(patient), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(new ConsentRecord(patient, e.GetString("Purpose"), e.GetBoolean("Given") ?? false, e.GetDateTimeOffset("At") ?? default, e.GetString("RecordedBy"), e.GetString("Note")));
        }

        return records;
    }

    private static string Partition(PatientPseudonym patient) => "c_" + patient.Value;
}

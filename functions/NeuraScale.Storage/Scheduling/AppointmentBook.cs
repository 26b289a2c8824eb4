using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Scheduling;

/// <summary>A booked recording: who, what, on which device, by whom, when (UTC, with the time zone it was booked in).</summary>
public sealed record Appointment(
    string Id,
    PatientPseudonym Patient,
    string ProtocolId,
    string DeviceId,
    string Technologist,
    DateTimeOffset Start,
    string TimeZone,
    int ExpectedMinutes,
    string Status,
    IReadOnlyList<string> Sessions,
    string BookedBy,
    DateTimeOffset BookedAt,
    string? CancelReason)
{
    public const string Booked = "booked", Cancelled = "cancelled";

    public DateTimeOffset End => Start.AddMinutes(ExpectedMinutes);

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Status == Booked && Start < end && start < End;
}

/// <summary>
/// The appointment book: one table partition holding every appointment and a lock row, so each change checks for
/// conflicts and commits in one transaction conditioned on the lock's ETag — two instances booking the same device
/// at the same moment cannot both succeed; the loser re-checks and sees the winner's appointment.
/// </summary>
public sealed class AppointmentBook(StorageClients clients)
{
    private const string Partition = "book", LockRow = "~lock";
    private readonly TableClient _table = clients.AppointmentsTable;

    /// <summary>
    /// Applies <paramref name="change"/> (null: a new one) to the book: <paramref name="decide"/> sees every booked
    /// appointment and returns the appointment to store, or throws; the store succeeds only if nothing changed meanwhile.
    /// </summary>
    public async Task<Appointment> CommitAsync(string? change, Func<IReadOnlyList<Appointment>, Appointment?, Appointment> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 0; ; attempt++)
        {
            var lockRow = await LockAsync(cancellationToken).ConfigureAwait(false);
            var all = await ListAsync(cancellationToken).ConfigureAwait(false);
            var current = change is null ? null : all.FirstOrDefault(a => a.Id == change);
            var next = decide(all, current);
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, new TableEntity(Partition, LockRow) { ["Version"] = (lockRow.GetInt64("Version") ?? 0) + 1 }, lockRow.ETag),
                new(current is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, Row(next), current is null ? default : ETag.All),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < 20)
            {
                // A transport retry of a commit that did land fails its lock condition against itself: then ours is stored.
                if (await GetAsync(next.Id, cancellationToken).ConfigureAwait(false) is { } stored && stored with { Sessions = next.Sessions } == next && stored.Sessions.SequenceEqual(next.Sessions))
                {
                    return next;
                }

                // Someone else changed the book between our read and our commit: read again and decide again.
            }
        }
    }

    public async Task<Appointment?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>Every appointment, soonest first.</summary>
    public async Task<IReadOnlyList<Appointment>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<Appointment>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition && e.RowKey != LockRow, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(Read(row));
        }

        return [.. all.OrderBy(a => a.Start)];
    }

    private async Task<TableEntity> LockAsync(CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, LockRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.HasValue)
        {
            return existing.Value!;
        }

        try
        {
            await _table.AddEntityAsync(new TableEntity(Partition, LockRow) { ["Version"] = 0L }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created by another instance at the same moment.
        }

        return (await _table.GetEntityAsync<TableEntity>(Partition, LockRow, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }

    private static TableEntity Row(Appointment a) => new(Partition, a.Id)
    {
        ["Patient"] = a.Patient.Value,
        ["ProtocolId"] = a.ProtocolId,
        ["DeviceId"] = a.DeviceId,
        ["Technologist"] = a.Technologist,
        ["Start"] = a.Start,
        ["TimeZone"] = a.TimeZone,
        ["ExpectedMinutes"] = a.ExpectedMinutes,
        ["Status"] = a.Status,
        ["Sessions"] = JsonSerializer.Serialize(a.Sessions),
        ["BookedBy"] = a.BookedBy,
        ["BookedAt"] = a.BookedAt,
        ["CancelReason"] = a.CancelReason,
    };

    private static Appointment Read(TableEntity e) => new(
        e.RowKey,
        PatientPseudonym.Parse(e.GetString("Patient")),
        e.GetString("ProtocolId"),
        e.GetString("DeviceId"),
        e.GetString("Technologist"),
        e.GetDateTimeOffset("Start") ?? default,
        e.GetString("TimeZone"),
        e.GetInt32("ExpectedMinutes") ?? 0,
        e.GetString("Status"),
        JsonSerializer.Deserialize<List<string>>(e.GetString("Sessions") ?? "[]") ?? [],
        e.GetString("BookedBy"),
        e.GetDateTimeOffset("BookedAt") ?? default,
        e.GetString("CancelReason"));
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Catalog;

/// <summary>
/// The session catalog in Table storage. Each session is two rows in one partition, written in one transaction:
/// <c>id_{sessionId}</c> for point reads and <c>t_{inverted start ticks}_{sessionId}</c> so that listing is
/// newest-first and a date range is a row-key range, not a table scan.
/// </summary>
public sealed class SessionCatalog(StorageClients clients)
{
    private const string Partition = "s";
    private const string IdPrefix = "id_";
    private const string TimePrefix = "t_";
    private readonly TableClient _table = clients.SessionsTable;

    /// <summary>Adds a session. Adding the same session id again is harmless and returns the stored one.</summary>
    public async Task<RecordingSession> AddAsync(RecordingSession session, CancellationToken cancellationToken = default)
    {
        SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        var existing = await GetAsync(session.Id, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(session, IdKey(session.Id))),
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(session, TimeKey(session))),
                ],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Lost a race with another writer of the same session: theirs is as good as ours.
        }

        return await GetAsync(session.Id, cancellationToken).ConfigureAwait(false) ?? session;
    }

    public async Task<RecordingSession?> GetAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, IdKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored session with optimistic concurrency (retrying on a lost race)
    /// and writes both rows in one transaction. Returns the updated session, or null when the session is unknown.
    /// </summary>
    public async Task<RecordingSession?> UpdateAsync(SessionId id, Func<RecordingSession, RecordingSession> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, IdKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.HasValue)
            {
                return null;
            }

            var current = FromEntity(response.Value!);
            var updated = change(current);
            if (updated == current)
            {
                return current;
            }

            try
            {
                await _table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(updated, IdKey(id)), response.Value!.ETag),
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(updated, TimeKey(updated))),
                    ],
                    cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < 10)
            {
                // Someone else updated the session between our read and write; read again.
            }
        }
    }

    /// <summary>Lists sessions newest first, one page at a time.</summary>
    public async Task<SessionPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, SessionQuery.MaxLimit);

        if (query.AllowedPatients is { Count: 0 } || (query.Patient is { } only && query.AllowedPatients is { } allowed && !allowed.Contains(only)))
        {
            return new SessionPage([], null);
        }

        var lower = query.StartedTo is { } to ? TimePrefix + Inverted(to) : TimePrefix;
        var upper = query.StartedFrom is { } from ? TimePrefix + (InvertedTicks(from) + 1).ToString("D19", CultureInfo.InvariantCulture) : TimePrefix + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {lower} and RowKey lt {upper}");
        if (query.Patient is { } patient)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Patient eq {patient.Value}");
        }

        if (query.AllowedPatients is { } scope)
        {
            filter += " and (" + string.Join(" or ", scope.Select(p => TableClient.CreateQueryFilter($"Patient eq {p.Value}"))) + ")";
        }

        if (query.Modality is { } modality)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Modality eq {modality.ToString()}");
        }

        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status.ToString()}");
        }

        if (!query.IncludeDerived)
        {
            filter += " and Derived eq false";
        }

        var sessions = new List<RecordingSession>(Math.Min(query.Limit, 128));
        var unreadable = new List<string>();
        var continuation = DecodeCursor(query.Cursor);
        do
        {
            // Ask for no more than we still need, so a page never overshoots and its continuation stays exact.
            var wanted = query.Limit - sessions.Count - unreadable.Count;
            var pages = _table.QueryAsync<TableEntity>(filter, maxPerPage: wanted, cancellationToken: cancellationToken)
                .AsPages(continuation, wanted);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                foreach (var entity in page.Values)
                {
                    if (TryRead(entity) is { } session)
                    {
                        sessions.Add(session);
                    }
                    else
                    {
                        unreadable.Add(entity.RowKey);
                    }
                }

                continuation = page.ContinuationToken;
                break;
            }
        }
        while (sessions.Count + unreadable.Count < query.Limit && continuation is not null);

        return new SessionPage(sessions, EncodeCursor(continuation), unreadable);
    }

    private static string IdKey(SessionId id) => IdPrefix + id.Value;

    private static string TimeKey(RecordingSession session) => $"{TimePrefix}{Inverted(session.StartTime)}_{session.Id.Value}";

    private static long InvertedTicks(DateTimeOffset time) => DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks;

    private static string Inverted(DateTimeOffset time) => InvertedTicks(time).ToString("D19", CultureInfo.InvariantCulture);

    private static string? EncodeCursor(string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuation));

    /// <summary>What to do about a cursor this server did not issue.</summary>
    public const string ForeignCursorAdvice = "The cursor is not one this server issued; pass the next_cursor value from the previous page unchanged, or omit it for the first page.";

    /// <summary>True when <paramref name="cursor"/> is empty or has the form of a cursor this server issues.</summary>
    public static bool IsWellFormedCursor(string? cursor)
    {
        try
        {
            DecodeCursor(cursor);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (!text.Contains(' ', StringComparison.Ordinal))
            {
                throw new FormatException();
            }

            return text;
        }
        catch (FormatException)
        {
            throw new ArgumentException(ForeignCursorAdvice, nameof(cursor));
        }
    }

    private static TableEntity ToEntity(RecordingSession s, string rowKey) => new(Partition, rowKey)
    {
        ["SessionId"] = s.Id.Value,
        ["Patient"] = s.Patient.Value,
        ["DeviceId"] = s.DeviceId,
        ["DeviceModel"] = s.DeviceModel,
        ["Modality"] = s.Modality.ToString(),
        ["Channels"] = JsonSerializer.Serialize(s.Channels, SessionManifest.JsonOptions),
        ["SamplingRateHz"] = s.SamplingRateHz,
        ["StartTime"] = s.StartTime,
        ["SampleCount"] = s.SampleCount,
        ["Status"] = s.Status.ToString(),
        ["EventCount"] = s.EventCount,
        ["Description"] = s.Description,
        ["Derived"] = s.Lineage is not null,
        ["Lineage"] = s.Lineage is null ? null : JsonSerializer.Serialize(s.Lineage, SessionManifest.JsonOptions),
    };

    /// <summary>The session a row holds, or null when the row cannot be read (a wrongly typed or missing property).</summary>
    private static RecordingSession? TryRead(TableEntity e)
    {
        try
        {
            return FromEntity(e);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidCastException or ArgumentException or JsonException or NullReferenceException)
        {
            return null;
        }
    }

    private static RecordingSession FromEntity(TableEntity e) => new()
    {
        Id = SessionId.Parse(e.GetString("SessionId")),
        Patient = PatientPseudonym.Parse(e.GetString("Patient")),
        DeviceId = e.GetString("DeviceId"),
        DeviceModel = e.GetString("DeviceModel"),
        Modality = Enum.Parse<Modality>(e.GetString("Modality")),
        Channels = JsonSerializer.Deserialize<ChannelInfo[]>(e.GetString("Channels"), SessionManifest.JsonOptions) ?? [],
        SamplingRateHz = e.GetDouble("SamplingRateHz") ?? 0,
        StartTime = e.GetDateTimeOffset("StartTime") ?? default,
        SampleCount = e.GetInt64("SampleCount") ?? 0,
        Status = Enum.Parse<SessionStatus>(e.GetString("Status")),
        EventCount = e.GetInt32("EventCount") ?? 0,
        Description = e.GetString("Description"),
        Lineage = e.GetString("Lineage") is { } lineage ? JsonSerializer.Deserialize<RecordingLineage>(lineage, SessionManifest.JsonOptions) : null,
    };
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NeuraScale.Domain;
using NeuraScale.Formats;
using Microsoft.Extensions.Options;

namespace NeuraScale.Storage.Catalog;

/// <summary>
/// The session catalog in Table storage, keyed so that a listing reads the rows it returns, not the catalog:
/// <list type="bullet">
/// <item>one <b>session row</b> per session, alone in its partition (<c>id_{session}</c>): point reads, and every update
/// (sample count, status, once a second while recording) is one optimistic write that contends with nobody;</item>
/// <item><b>index rows</b>, written once when the session is added (what they key on never changes), each with row key
/// <c>{inverted start ticks}_{session}</c> so a partition lists newest first and a date range is a key range:
/// by month (<c>all_{yyyyMM}</c>), by patient (<c>pat_{patient}</c>), by device (<c>dev_{hash of the id}</c>), by modality
/// and month (<c>mod_{modality}_{yyyyMM}</c>) and by status and month (<c>st_{status}_{yyyyMM}</c>, the one index row
/// that moves, when a recording completes); derived recordings in their own set (prefix <c>d</c>) so that listing
/// recordings never reads them;</item>
/// <item>a <b>months row</b> (<c>meta</c>/<c>months</c>): the first and last month holding sessions, so a listing by
/// month knows where to stop.</item>
/// </list>
/// A query walks the most selective index (patient; the caller's patients; device; modality; else month), merges
/// partitions in key order, and reads each listed session's row (status and counts live only there). The cursor is the
/// key of the last row consumed, so a page never depends on a storage continuation token. Counts of entities read are
/// returned with each page (<see cref="SessionPage.EntitiesRead"/>): the figure Table storage bills and scales by.
/// </summary>
public sealed class SessionCatalog
{
    private const string SessionRowKey = "session";
    private const string MetaPartition = "meta";
    private const string MonthsRowKey = "months";
    private const int SessionReadParallelism = 16;
    private readonly TableClient _table;
    private readonly SessionRowCache? _cache;

    /// <summary>
    /// A catalog over <paramref name="clients"/>' sessions table. With <paramref name="options"/> whose
    /// <see cref="StorageOptions.SessionCacheSeconds"/> is above 0 (the service's catalog), finished sessions' rows read
    /// or written are trusted for that long; without (tools, tests, migrations), every read goes to storage.
    /// </summary>
    public SessionCatalog(StorageClients clients, TimeProvider? time = null, IOptions<StorageOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.SessionsTable;
        if (options?.Value is { SessionCacheSeconds: > 0 } settings)
        {
            _cache = new SessionRowCache(time ?? TimeProvider.System, TimeSpan.FromSeconds(settings.SessionCacheSeconds), settings.SessionCacheEntries);
        }
    }

    /// <summary>Adds a session. Adding the same session id again is harmless and returns the stored one.</summary>
    public async Task<RecordingSession> AddAsync(RecordingSession session, CancellationToken cancellationToken = default)
    {
        SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        var existing = await GetAsync(session.Id, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        // Index rows and the months row first, the session row last: a session is listed once its row exists, and a
        // writer that fails in between leaves nothing that a retry of the same add does not complete.
        var rowKey = TimeKey(session.StartTime, session.Id);
        await Task.WhenAll(IndexPartitions(session).Select(partition =>
            _table.UpsertEntityAsync(new TableEntity(partition, rowKey) { ["SessionId"] = session.Id.Value }, TableUpdateMode.Replace, cancellationToken))).ConfigureAwait(false);
        await WidenMonthsAsync(Month(session.StartTime), cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.AddEntityAsync(ToEntity(session), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Lost a race with another writer of the same session: theirs is as good as ours.
        }

        return await GetAsync(session.Id, cancellationToken).ConfigureAwait(false) ?? session;
    }

    /// <summary>
    /// Catalogues many sessions at once (an archive, a migration, a benchmark's catalog): index rows in transactions of
    /// up to 100 per partition, session rows in parallel, the months row once. For sessions not yet in the catalog —
    /// rows are written with upsert, so running it again is harmless, but it would put back a session's state as given.
    /// </summary>
    public async Task AddManyAsync(IReadOnlyList<RecordingSession> sessions, int parallelism = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (sessions.Count == 0)
        {
            return;
        }

        foreach (var session in sessions)
        {
            SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var batches = sessions
            .SelectMany(s => IndexPartitions(s).Select(p => new TableEntity(p, TimeKey(s.StartTime, s.Id)) { ["SessionId"] = s.Id.Value }))
            .GroupBy(e => e.PartitionKey)
            .SelectMany(g => g.Chunk(100));
        await Parallel.ForEachAsync(batches, options, async (batch, ct) =>
            await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct).ConfigureAwait(false)).ConfigureAwait(false);
        await WidenMonthsAsync(Month(sessions.Min(s => s.StartTime)), cancellationToken).ConfigureAwait(false);
        await WidenMonthsAsync(Month(sessions.Max(s => s.StartTime)), cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(sessions, options, async (session, ct) =>
            await _table.UpsertEntityAsync(ToEntity(session), TableUpdateMode.Replace, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<RecordingSession?> GetAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        if (_cache is not null && _cache.TryGet(id, out var kept))
        {
            return kept;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(SessionPartition(id), SessionRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? Remember(FromEntity(response.Value!)) : null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored session with optimistic concurrency (retrying on a lost race).
    /// Returns the updated session, or null when the session is unknown. What the index rows key on (patient, device,
    /// modality, start, derived) cannot change; a change of status moves its status index row.
    /// </summary>
    public async Task<RecordingSession?> UpdateAsync(SessionId id, Func<RecordingSession, RecordingSession> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(SessionPartition(id), SessionRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
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

            if (updated.Id != current.Id || updated.Patient != current.Patient || updated.DeviceId != current.DeviceId || updated.Modality != current.Modality
                || updated.StartTime != current.StartTime || (updated.Lineage is null) != (current.Lineage is null))
            {
                throw new InvalidOperationException($"Session {id}: its patient, device, modality, start time and lineage are fixed when it is added.");
            }

            // A change of status moves the session between status partitions: listed under the new one before the
            // session row changes, taken off the old one after, so a failure in between lists it twice (the status is
            // checked on the session row) but never not at all.
            var (from, to) = (StatusPartition(current), StatusPartition(updated));
            var rowKey = TimeKey(current.StartTime, id);
            if (from != to)
            {
                await _table.UpsertEntityAsync(new TableEntity(to, rowKey) { ["SessionId"] = id.Value }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await _table.UpdateEntityAsync(ToEntity(updated), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                if (from != to)
                {
                    await _table.DeleteEntityAsync(from, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }

                return Remember(updated);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 10)
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
        var after = DecodeCursor(query.Cursor);
        if (query.AllowedPatients is { Count: 0 } || (query.Patient is { } only && query.AllowedPatients is { } allowed && !allowed.Contains(only)))
        {
            return new SessionPage([], null, [], 0);
        }

        var read = new ReadCounter();
        var plan = await PlanAsync(query, after is null ? null : TimeOf(after), read, cancellationToken).ConfigureAwait(false);
        var lowest = query.StartedTo is { } to ? TimeKeyPrefix(to) : "0";
        var highest = query.StartedFrom is { } from ? TimeKeyPrefix(from) + "~" : "~";
        var lowerBound = after is not null && string.CompareOrdinal(after, lowest) >= 0
            ? $"RowKey gt '{after}'" // keys are all the same length: none extends another, so "after the cursor" is exact
            : $"RowKey ge '{lowest}'";
        var range = $"{lowerBound} and RowKey lt '{highest}'";

        var streams = plan.Select(partitions => new IndexStream(_table, partitions, range, Math.Clamp((query.Limit / plan.Count) + 1, 10, 1000), read)).ToArray();
        var sessions = new List<RecordingSession>(Math.Min(query.Limit, 128));
        var unreadable = new List<string>();
        string? last = null;
        var exhausted = false;
        while (sessions.Count < query.Limit && !exhausted)
        {
            // Take the next rows in key order across every partition, then read their sessions in parallel.
            var batch = new List<IndexRow>();
            while (batch.Count < query.Limit - sessions.Count)
            {
                IndexStream? next = null;
                foreach (var stream in streams)
                {
                    if (await stream.PeekAsync(cancellationToken).ConfigureAwait(false) is { } row && (next is null || string.CompareOrdinal(row.RowKey, next.Current!.RowKey) < 0))
                    {
                        next = stream;
                    }
                }

                if (next is null)
                {
                    exhausted = true;
                    break;
                }

                batch.Add(next.Take());
            }

            var rows = new (RecordingSession? Session, string? Damaged)[batch.Count];
            await Parallel.ForAsync(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = SessionReadParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                rows[i] = await ReadListedAsync(batch[i], read, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                last = batch[i].RowKey;
                if (rows[i].Damaged is { } damaged)
                {
                    unreadable.Add(damaged);
                }
                else if (rows[i].Session is { } session && Matches(session, query))
                {
                    sessions.Add(session);
                }
            }
        }

        var more = !exhausted || await AnyLeftAsync(streams, cancellationToken).ConfigureAwait(false);
        return new SessionPage(sessions, more && last is not null ? EncodeCursor(last) : null, unreadable, read.Count);
    }

    /// <summary>
    /// Rewrites sessions catalogued by earlier versions (all in partition <c>s</c>) into this layout, then removes the
    /// old rows. Idempotent; one query when there is nothing to do.
    /// </summary>
    public async Task<int> MigrateLegacyRowsAsync(CancellationToken cancellationToken = default)
    {
        var legacy = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == "s", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            legacy.Add(row);
        }

        var moved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in legacy.Where(r => r.RowKey.StartsWith("id_", StringComparison.Ordinal)))
        {
            if (TryRead(row) is { } session)
            {
                await AddAsync(session, cancellationToken).ConfigureAwait(false);
                moved.Add(session.Id.Value);
            }
        }

        // Only the rows of sessions moved: a damaged old row stays where an operator can still find it.
        foreach (var row in legacy.Where(r => r.GetString("SessionId") is { } id && moved.Contains(id)))
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return moved.Count;
    }

    /// <summary>The index partitions a session is listed in.</summary>
    private static string[] IndexPartitions(RecordingSession s)
    {
        var set = s.Lineage is null ? string.Empty : "d";
        var month = Month(s.StartTime);
        return [$"{set}all_{month}", $"{set}pat_{s.Patient.Value}", $"{set}dev_{EscapeKey(s.DeviceId)}", $"{set}mod_{s.Modality}_{month}", StatusPartition(s)];
    }

    /// <summary>
    /// The partitions to walk, as streams to merge; each stream is one partition or a run of month partitions newest
    /// first. Patient (or the caller's patients) first, then device, then status or modality, else every session by month.
    /// </summary>
    private async Task<List<string[]>> PlanAsync(SessionQuery query, DateTimeOffset? cursorTime, ReadCounter read, CancellationToken cancellationToken)
    {
        string[] sets = query.IncludeDerived ? [string.Empty, "d"] : [string.Empty];
        var plan = new List<string[]>();
        if (query.Patient is { } patient || query.AllowedPatients is not null)
        {
            var patients = query.Patient is { } one ? [one] : query.AllowedPatients!;
            plan.AddRange(sets.SelectMany(set => patients.Select(p => new[] { $"{set}pat_{p.Value}" })));
            return plan;
        }

        if (query.DeviceId is { } device)
        {
            plan.AddRange(sets.Select(set => new[] { $"{set}dev_{EscapeKey(device)}" }));
            return plan;
        }

        // Status by its own index when it is the rare kind (in progress, interrupted) or the only filter; else modality.
        var months = await MonthsAsync(query, cursorTime, read, cancellationToken).ConfigureAwait(false);
        var prefix = query.Status is { } status && (status != SessionStatus.Completed || query.Modality is null) ? $"st_{status}_"
            : query.Modality is { } modality ? $"mod_{modality}_"
            : "all_";
        plan.AddRange(sets.Select(set => months.Select(m => set + prefix + m).ToArray()));
        return plan;
    }

    /// <summary>The months that can hold matching sessions, newest first, from the months row and the query's dates.</summary>
    private async Task<string[]> MonthsAsync(SessionQuery query, DateTimeOffset? cursorTime, ReadCounter read, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, MonthsRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        read.Add(1);
        if (!row.HasValue)
        {
            return [];
        }

        var first = ParseMonth(row.Value!.GetString("First"));
        var last = ParseMonth(row.Value.GetString("Last"));
        if (query.StartedFrom is { } from && MonthStart(from) > first)
        {
            first = MonthStart(from);
        }

        if (query.StartedTo is { } to && MonthStart(to) < last)
        {
            last = MonthStart(to);
        }

        if (cursorTime is { } resume && MonthStart(resume) < last)
        {
            last = MonthStart(resume); // later pages start where the previous one stopped
        }

        var months = new List<string>();
        for (var m = last; m >= first; m = m.AddMonths(-1))
        {
            months.Add(Month(m));
        }

        return [.. months];
    }

    /// <summary>Stretches the months row to include <paramref name="month"/> (optimistic concurrency; rarely written).</summary>
    private async Task WidenMonthsAsync(string month, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, MonthsRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (!row.HasValue)
                {
                    await _table.AddEntityAsync(new TableEntity(MetaPartition, MonthsRowKey) { ["First"] = month, ["Last"] = month }, cancellationToken).ConfigureAwait(false);
                    return;
                }

                var entity = row.Value!;
                var first = entity.GetString("First");
                var last = entity.GetString("Last");
                if (string.CompareOrdinal(month, first) >= 0 && string.CompareOrdinal(month, last) <= 0)
                {
                    return;
                }

                entity["First"] = string.CompareOrdinal(month, first) < 0 ? month : first;
                entity["Last"] = string.CompareOrdinal(month, last) > 0 ? month : last;
                await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                // Another writer widened it first; read again.
            }
        }
    }

    /// <summary>The session a listed row points to; a row that cannot be read is named, never fatal.</summary>
    private async Task<(RecordingSession? Session, string? Damaged)> ReadListedAsync(IndexRow row, ReadCounter read, CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(row.SessionId, out var id))
        {
            return (null, $"{row.Partition}/{row.RowKey}");
        }

        if (_cache is not null && _cache.TryGet(id, out var kept))
        {
            return (kept, null);
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(SessionPartition(id), SessionRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        read.Add(1);
        if (!response.HasValue)
        {
            return (null, null); // listed by an add still in progress (or one that failed and will be retried)
        }

        return TryRead(response.Value!) is { } session ? (Remember(session), null) : (null, $"{SessionPartition(id)}/{SessionRowKey}");
    }

    private RecordingSession Remember(RecordingSession session)
    {
        _cache?.Remember(session);
        return session;
    }

    /// <summary>What the index walked did not already select: every filter is checked on the session row itself.</summary>
    private static bool Matches(RecordingSession s, SessionQuery q) =>
        (q.Patient is null || s.Patient == q.Patient)
        && (q.AllowedPatients is null || q.AllowedPatients.Contains(s.Patient))
        && (q.DeviceId is null || string.Equals(s.DeviceId, q.DeviceId, StringComparison.OrdinalIgnoreCase))
        && (q.Modality is null || s.Modality == q.Modality)
        && (q.Status is null || s.Status == q.Status)
        && (q.IncludeDerived || s.Lineage is null)
        && (q.StartedFrom is null || s.StartTime >= q.StartedFrom)
        && (q.StartedTo is null || s.StartTime <= q.StartedTo);

    private static async Task<bool> AnyLeftAsync(IndexStream[] streams, CancellationToken cancellationToken)
    {
        foreach (var stream in streams)
        {
            if (await stream.PeekAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string SessionPartition(SessionId id) => "id_" + id.Value;

    private static string StatusPartition(RecordingSession s) => $"{(s.Lineage is null ? string.Empty : "d")}st_{s.Status}_{Month(s.StartTime)}";

    private static string TimeKey(DateTimeOffset start, SessionId id) => $"{TimeKeyPrefix(start)}_{id.Value}";

    /// <summary>Inverted ticks, so that ascending keys are newest first.</summary>
    private static string TimeKeyPrefix(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static DateTimeOffset TimeOf(string rowKey) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(rowKey.AsSpan(0, 19), CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static string Month(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    private static DateTimeOffset MonthStart(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset ParseMonth(string? text) => DateTimeOffset.ParseExact(text ?? "000101", "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// Device ids are free text (any character, any length), matched without regard to case: keyed by a hash of the
    /// lower-cased id, so no character that keys forbid or filters mangle can occur. The device is checked on the
    /// session row anyway.
    /// </summary>
    private static string EscapeKey(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value.ToLowerInvariant())).AsSpan(0, 12));

    /// <summary>Entities read by one query, for <see cref="SessionPage.EntitiesRead"/>.</summary>
    private sealed class ReadCounter
    {
        private int _count;

        public int Count => _count;

        public void Add(int n) => Interlocked.Add(ref _count, n);
    }

    private sealed record IndexRow(string Partition, string RowKey, string? SessionId);

    /// <summary>
    /// The rows of a run of partitions (one, or months newest first) in key order within a row-key range, fetched a page
    /// at a time as they are consumed.
    /// </summary>
    private sealed class IndexStream(TableClient table, string[] partitions, string range, int pageSize, ReadCounter read)
    {
        private readonly Queue<IndexRow> _buffered = new();
        private int _partition;
        private string? _continuation;
        private bool _partitionDone;

        public IndexRow? Current => _buffered.Count > 0 ? _buffered.Peek() : null;

        public async ValueTask<IndexRow?> PeekAsync(CancellationToken cancellationToken)
        {
            while (_buffered.Count == 0 && _partition < partitions.Length)
            {
                if (_partitionDone)
                {
                    _partition++;
                    _partitionDone = false;
                    _continuation = null;
                    continue;
                }

                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitions[_partition]}") + " and " + range;
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: ["PartitionKey", "RowKey", "SessionId"], cancellationToken: cancellationToken).AsPages(_continuation, pageSize).ConfigureAwait(false))
                {
                    read.Add(page.Values.Count);
                    foreach (var entity in page.Values)
                    {
                        _buffered.Enqueue(new IndexRow(entity.PartitionKey, entity.RowKey, entity.GetString("SessionId")));
                    }

                    _continuation = page.ContinuationToken;
                    _partitionDone = _continuation is null;
                    break;
                }
            }

            return Current;
        }

        public IndexRow Take() => _buffered.Dequeue();
    }

    private const string CursorVersion = "v2 ";

    private static string EncodeCursor(string lastRowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorVersion + lastRowKey));

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
            if (!text.StartsWith(CursorVersion, StringComparison.Ordinal) || text.Length < CursorVersion.Length + 20 || !char.IsAsciiDigit(text[CursorVersion.Length]))
            {
                throw new FormatException();
            }

            return text[CursorVersion.Length..];
        }
        catch (FormatException)
        {
            throw new ArgumentException(ForeignCursorAdvice, nameof(cursor));
        }
    }

    private static TableEntity ToEntity(RecordingSession s) => new(SessionPartition(s.Id), SessionRowKey)
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

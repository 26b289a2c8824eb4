using NeuraScale.Domain;

namespace NeuraScale.Storage.Catalog;

/// <summary>Filters for listing sessions; every filter is optional. Results come newest first.</summary>
public sealed record SessionQuery
{
    public PatientPseudonym? Patient { get; init; }

    /// <summary>When set, only these patients' sessions are listed (a caller's patient scope); empty lists nothing.</summary>
    public IReadOnlyCollection<PatientPseudonym>? AllowedPatients { get; init; }

    /// <summary>Sessions that started at or after this instant.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Sessions that started at or before this instant.</summary>
    public DateTimeOffset? StartedTo { get; init; }

    public Modality? Modality { get; init; }

    /// <summary>Sessions recorded by this device (its id; case does not matter).</summary>
    public string? DeviceId { get; init; }

    public SessionStatus? Status { get; init; }

    /// <summary>Also list derived recordings (filtered copies); by default only recordings are listed.</summary>
    public bool IncludeDerived { get; init; }

    /// <summary>Page size, 1–<see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Opaque cursor from a previous page, or null for the first page.</summary>
    public string? Cursor { get; init; }

    public const int MaxLimit = 1000;
}

/// <summary>One page of sessions and the cursor for the next page (null when this is the last).</summary>
/// <param name="Unreadable">Keys (partition/row) of catalog rows that could not be read (a damaged or hand-edited row): skipped, never fatal to the listing.</param>
/// <param name="EntitiesRead">Table entities the query read (index rows and session rows): what it cost.</param>
public sealed record SessionPage(IReadOnlyList<RecordingSession> Sessions, string? NextCursor, IReadOnlyList<string>? Unreadable = null, int EntitiesRead = 0);

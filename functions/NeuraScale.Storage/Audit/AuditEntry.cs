namespace NeuraScale.Storage.Audit;

/// <summary>
/// One audit entry: who did what to which resources, with what outcome, how long it took. Arguments appear only as a
/// keyed hash (HMAC-SHA256), never raw: they may contain PHI. <see cref="Writer"/> and <see cref="Sequence"/> place the
/// entry in its writer's chain; <see cref="Hash"/> (keyed) links it to the entry before.
/// </summary>
public sealed record AuditEntry
{
    public string Writer { get; init; } = string.Empty;
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Caller { get; init; }
    public required string Action { get; init; }
    public IReadOnlyList<string> Resources { get; init; } = [];
    public required string Outcome { get; init; }
    public double LatencyMs { get; init; }
    public string? ArgumentsHash { get; init; }
    public string PreviousHash { get; init; } = AuditChain.GenesisHash;
    public string Hash { get; init; } = string.Empty;
}

/// <summary>
/// A writer's head as it stood at <see cref="Time"/>: a separate, write-once blob that later entries cannot change.
/// A chain that ends before a checkpoint's sequence, or holds a different hash there, was cut or rewritten.
/// </summary>
public sealed record AuditCheckpoint(string Writer, long Sequence, string Hash, int Segment, DateTimeOffset Time);

/// <summary>The result of checking every writer's chain.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenSequence, string Detail)
{
    /// <summary>Chains examined (one per writer: a server or job-app instance's lifetime).</summary>
    public int Writers { get; init; }

    /// <summary>The writer whose chain broke, or null when intact.</summary>
    public string? FirstBrokenWriter { get; init; }
}

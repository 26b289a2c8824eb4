using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData.Queries;

/// <summary>
/// The filters a question about recordings comes down to. Every one is optional; what the catalog keys serve
/// (patient, modality, dates, status, derived) narrows the read, the rest is checked on each session read.
/// </summary>
public sealed record SessionSearch
{
    public PatientPseudonym? Patient { get; init; }

    public Modality? Modality { get; init; }

    /// <summary>Sessions that started at or after this instant.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Sessions that started before this instant (exclusive).</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Duration strictly longer than this (seconds), e.g. "longer than 10 minutes".</summary>
    public double? LongerThanSeconds { get; init; }

    /// <summary>Duration strictly shorter than this (seconds).</summary>
    public double? ShorterThanSeconds { get; init; }

    public string? DeviceId { get; init; }

    public SessionStatus? Status { get; init; }

    /// <summary>Channel labels every result must have (case-insensitive).</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>True: only sessions with event markers; false: only without; null: either.</summary>
    public bool? HasEvents { get; init; }

    /// <summary>Also derived recordings (filtered copies).</summary>
    public bool IncludeDerived { get; init; }

    /// <summary>How many sessions the question asks for ("the newest session": 1), or null for a page.</summary>
    public int? Limit { get; init; }

    /// <summary>True when the session satisfies the filters the catalog query does not apply itself.</summary>
    public bool Matches(RecordingSession session) =>
        (LongerThanSeconds is not { } longer || session.DurationSeconds > longer)
        && (ShorterThanSeconds is not { } shorter || session.DurationSeconds < shorter)
        && (DeviceId is null || string.Equals(session.DeviceId, DeviceId, StringComparison.OrdinalIgnoreCase))
        && Channels.All(c => session.Channels.Any(s => string.Equals(s.Name, c, StringComparison.OrdinalIgnoreCase)))
        && (HasEvents is not { } events || (session.EventCount > 0) == events);
}

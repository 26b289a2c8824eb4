namespace NeuraScale.Domain;

/// <summary>
/// A recording session as the catalog knows it. Carries the patient pseudonym only; identifying data
/// lives in the patient registry.
/// </summary>
public sealed record RecordingSession
{
    public required SessionId Id { get; init; }
    public required PatientPseudonym Patient { get; init; }
    public required string DeviceId { get; init; }
    public required string DeviceModel { get; init; }
    public required Modality Modality { get; init; }
    public required IReadOnlyList<ChannelInfo> Channels { get; init; }
    /// <summary>Sampling rate, Hz. Whole numbers only (chunks hold exactly one second).</summary>
    public required double SamplingRateHz { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    /// <summary>Samples per channel stored so far.</summary>
    public long SampleCount { get; init; }
    public SessionStatus Status { get; init; } = SessionStatus.Recording;
    /// <summary>Number of event markers recorded so far (the markers themselves travel in the chunks).</summary>
    public int EventCount { get; init; }
    /// <summary>Free-text description of the recording (task, protocol). No PHI.</summary>
    public string? Description { get; init; }
    /// <summary>For a derived recording (e.g. filtered), what it was computed from and how; null for a recording.</summary>
    public RecordingLineage? Lineage { get; init; }

    /// <summary>Recorded duration, seconds.</summary>
    public double DurationSeconds => SampleCount / SamplingRateHz;

    /// <summary>Samples per chunk: one second of data.</summary>
    public int ChunkSamples => (int)SamplingRateHz;
}

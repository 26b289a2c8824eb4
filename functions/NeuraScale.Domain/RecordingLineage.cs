namespace NeuraScale.Domain;

/// <summary>
/// Where a derived recording (e.g. a filtered copy) came from: the recording it was computed from, which part of
/// it, and every processing step from the original recording to this one, so a result can be reproduced.
/// </summary>
public sealed record RecordingLineage
{
    /// <summary>The recording this one was computed from (itself possibly derived).</summary>
    public required SessionId SourceSessionId { get; init; }

    /// <summary>The original, as-recorded session at the root of the chain.</summary>
    public required SessionId RootSessionId { get; init; }

    /// <summary>First source sample used; sample 0 of this recording.</summary>
    public required long SourceFirstSample { get; init; }

    /// <summary>Source channel indices, in this recording's channel order.</summary>
    public required IReadOnlyList<int> SourceChannels { get; init; }

    /// <summary>Processing steps, oldest first; the last one produced this recording.</summary>
    public required IReadOnlyList<ProcessingStep> Steps { get; init; }
}

/// <summary>One processing step: what was done, with which parameters, by which software version.</summary>
/// <param name="Operation">Operation name, e.g. "butterworth_bandpass" or "notch".</param>
/// <param name="Parameters">Parameter names and values as text, e.g. order = 4, low_hz = 1.</param>
/// <param name="Equivalent">The same computation in a reference library, e.g. a SciPy call.</param>
/// <param name="Software">Software and version that ran the step.</param>
/// <param name="CreatedAt">When the step ran.</param>
public sealed record ProcessingStep(
    string Operation,
    IReadOnlyDictionary<string, string> Parameters,
    string Equivalent,
    string Software,
    DateTimeOffset CreatedAt);

namespace NeuraScale.Domain;

/// <summary>
/// An annotation on the recording timeline (stimulus onset, operator note, artifact mark).
/// Positions are in samples from the start of the recording so they survive any unit conversion exactly.
/// </summary>
/// <param name="Sample">Onset, in samples from the first sample of the session (0-based).</param>
/// <param name="DurationSamples">Duration in samples; 0 for an instantaneous marker.</param>
/// <param name="Label">Free text label, e.g. <c>stimulus/target</c>. No PHI.</param>
public sealed record EventMarker(long Sample, int DurationSamples, string Label)
{
    /// <summary>Longest label accepted, in UTF-8 bytes (it must fit the chunk layout's one-byte length).</summary>
    public const int MaxLabelBytes = 255;
}

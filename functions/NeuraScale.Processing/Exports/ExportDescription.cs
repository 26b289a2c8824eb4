using NeuraScale.Domain;

namespace NeuraScale.Processing.Exports;

/// <summary>
/// Everything a file format needs besides the samples: the plan, the channels, the band, and — for formats that need
/// them before the first sample (EDF, MAT) — the survey of ranges and markers.
/// </summary>
public sealed record ExportDescription(ExportPlan Plan, IReadOnlyList<ChannelInfo> Channels, ExportSurvey? Survey, Passband Band)
{
    public RecordingSession Session => Plan.Session;

    /// <summary>The survey, for a format that declared it needs one.</summary>
    public ExportSurvey RequiredSurvey => Survey ?? throw new InvalidOperationException("This format needs the survey pass.");

    /// <summary>Markers known up front (from the survey): onset and duration in seconds from the first exported sample, and label.</summary>
    public IReadOnlyList<(double OnsetS, double DurationS, string Label)> Markers => Survey is null ? [] : Timed(Survey.Markers);

    /// <summary>Markers as (onset, duration) in seconds from the first exported sample, and label.</summary>
    public IReadOnlyList<(double OnsetS, double DurationS, string Label)> Timed(IEnumerable<EventMarker> markers) =>
        markers.Select(m => (Plan.OnsetSeconds(m), m.DurationSamples / Plan.Session.SamplingRateHz, m.Label)).ToArray();

    /// <summary>Recording metadata in plain key/value form (Parquet key-value metadata and similar).</summary>
    public string StartTimeText => Plan.StartTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}

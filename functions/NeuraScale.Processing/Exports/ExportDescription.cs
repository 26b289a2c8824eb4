using NeuraScale.Domain;

namespace NeuraScale.Processing.Exports;

/// <summary>Everything a file format needs besides the samples: the plan, the channels, the survey and the band.</summary>
public sealed record ExportDescription(ExportPlan Plan, IReadOnlyList<ChannelInfo> Channels, ExportSurvey Survey, Passband Band)
{
    public RecordingSession Session => Plan.Session;

    /// <summary>Markers as (onset, duration) in seconds from the first exported sample, and label.</summary>
    public IReadOnlyList<(double OnsetS, double DurationS, string Label)> Markers { get; } =
        Survey.Markers.Select(m => (Plan.OnsetSeconds(m), m.DurationSamples / Plan.Session.SamplingRateHz, m.Label)).ToArray();

    /// <summary>Recording metadata in plain key/value form (Parquet key-value metadata and similar).</summary>
    public string StartTimeText => Plan.StartTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}

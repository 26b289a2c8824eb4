using NeuraScale.Domain;
using NeuraScale.Processing.Clinical.Protocols;

namespace NeuraScale.Processing.Reports;

/// <summary>A stretch of one recording in one state (e.g. eyes closed), in seconds from its start.</summary>
/// <param name="Source">How the state is known: the marker that began it, the caller, or the session's description.</param>
public sealed record ConditionSegment(string SessionId, string Condition, double StartSeconds, double EndSeconds, string Source)
{
    public double DurationSeconds => EndSeconds - StartSeconds;
}

/// <summary>
/// Finds the stretches of a recording in each state, from (in this order) what the caller said of the whole session,
/// the markers a protocol put in (each step's start marker and condition, from the protocol catalog, plus the usual
/// technologist labels such as "EC"/"EO"), or the session's description ("… eyes closed"). A marked stretch runs from
/// its marker to the next step marker (or the end) and skips its first seconds, when the eyes are still moving.
/// </summary>
public sealed class ConditionSegments(ProtocolCatalog catalog)
{
    /// <summary>Seconds after a state-change marker left out: the eye movement of opening or closing, and settling.</summary>
    public const double SettleSeconds = 2;

    /// <summary>Shortest stretch kept, seconds (a spectrum needs several 2-s Welch segments).</summary>
    public const double MinimumSeconds = 8;

    private static readonly Dictionary<string, string> CommonLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eyes closed"] = StepConditions.EyesClosed,
        ["eyes closed rest"] = StepConditions.EyesClosed,
        ["ec"] = StepConditions.EyesClosed,
        ["ec rest"] = StepConditions.EyesClosed,
        ["eyes open"] = StepConditions.EyesOpen,
        ["eyes open rest"] = StepConditions.EyesOpen,
        ["eo"] = StepConditions.EyesOpen,
        ["eo rest"] = StepConditions.EyesOpen,
    };

    /// <summary>Marker labels that begin or end a step, with the condition they begin (null: a step without one, or an end).</summary>
    private Dictionary<string, string?> StepMarkers()
    {
        var markers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var step in catalog.List().SelectMany(p => p.Steps))
        {
            markers.TryAdd(step.StartMarker, step.Condition);
            if (step.EndMarker is { } end)
            {
                markers.TryAdd(end, null);
            }
        }

        foreach (var (label, condition) in CommonLabels)
        {
            markers.TryAdd(label, condition);
        }

        return markers;
    }

    /// <param name="stated">What the caller said the whole session is (eyes_closed / eyes_open), if anything.</param>
    /// <param name="markers">The session's markers, samples from its start.</param>
    public IReadOnlyList<ConditionSegment> Find(RecordingSession session, string? stated, IReadOnlyList<EventMarker> markers)
    {
        var id = session.Id.Value;
        var duration = session.DurationSeconds;
        if (stated is not null)
        {
            return [new ConditionSegment(id, stated, 0, duration, "stated by the requester")];
        }

        var known = StepMarkers();
        var boundaries = markers
            .Where(m => known.ContainsKey(m.Label.Trim()) || m.Label.StartsWith("Protocol stopped", StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => m.Sample)
            .ToArray();
        var segments = new List<ConditionSegment>();
        for (var i = 0; i < boundaries.Length; i++)
        {
            if (known.GetValueOrDefault(boundaries[i].Label.Trim()) is not { } condition)
            {
                continue;
            }

            var start = (boundaries[i].Sample / session.SamplingRateHz) + SettleSeconds;
            var end = i + 1 < boundaries.Length ? boundaries[i + 1].Sample / session.SamplingRateHz : duration;
            if (end - start >= MinimumSeconds)
            {
                segments.Add(new ConditionSegment(id, condition, start, Math.Min(end, duration), $"marker '{boundaries[i].Label.Trim()}'"));
            }
        }

        if (segments.Count > 0)
        {
            return segments;
        }

        var description = session.Description ?? "";
        var closed = description.Contains("eyes closed", StringComparison.OrdinalIgnoreCase);
        var open = description.Contains("eyes open", StringComparison.OrdinalIgnoreCase);
        return closed ^ open
            ? [new ConditionSegment(id, closed ? StepConditions.EyesClosed : StepConditions.EyesOpen, 0, duration, "the session's description")]
            : [];
    }
}

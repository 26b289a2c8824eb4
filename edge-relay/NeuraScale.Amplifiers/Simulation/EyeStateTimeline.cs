namespace NeuraScale.Amplifiers.Simulation;

/// <summary>
/// When the simulated subject opened and closed their eyes, as markers said, and the alpha amplitude factor from each
/// change on (the Berger effect: alpha blocks on eye opening). Thread-safe: the relay marks while the driver produces.
/// </summary>
public sealed class EyeStateTimeline
{
    private readonly Lock _gate = new();
    private readonly List<(long Sample, double Factor)> _changes = [];

    /// <summary>Eyes open (true) or closed (false) from the marker's label, or null for any other marker.</summary>
    public static bool? EyesOpen(string label)
    {
        var text = label.Trim().Replace('_', ' ').ToLowerInvariant();
        return text is "eo" or "eo rest" || text.StartsWith("eyes open", StringComparison.Ordinal) ? true
            : text is "ec" or "ec rest" || text.StartsWith("eyes closed", StringComparison.Ordinal) ? false
            : null;
    }

    public void Set(long sample, double factor)
    {
        lock (_gate)
        {
            var at = _changes.FindLastIndex(c => c.Sample <= sample) + 1;
            _changes.Insert(at, (sample, factor));
        }
    }

    /// <summary>The alpha factor in force at <paramref name="sample"/>: 1 (eyes closed, the resting default) before any change.</summary>
    public double Factor(long sample)
    {
        lock (_gate)
        {
            for (var i = _changes.Count - 1; i >= 0; i--)
            {
                if (_changes[i].Sample <= sample)
                {
                    return _changes[i].Factor;
                }
            }

            return 1;
        }
    }
}

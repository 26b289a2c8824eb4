using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Epochs;

namespace NeuraScale.Processing.Analysis;

/// <summary>
/// A classic ERP component: where in time it is sought, its polarity, and the sites where it is usually largest
/// (Luck 2014, <i>An Introduction to the Event-Related Potential Technique</i>; Polich 2007 for the P3b).
/// </summary>
public sealed record ErpComponentDefinition(string Name, double StartS, double EndS, PeakMode Polarity, IReadOnlyList<string> Sites, string Topography);

[Description("One ERP component sought in its usual window, with its polarity, at its usual sites.")]
public sealed record ErpComponentPeak(
    [property: Description("Component: P100, N100, P200, N200 or P300.")] string Name,
    [property: Description("Latency window searched, seconds after the event [start, end].")] IReadOnlyList<double> WindowS,
    [property: Description("positive or negative.")] string Polarity,
    [property: Description("Channels searched: the component's usual sites among those analysed (every analysed channel when none is).")] IReadOnlyList<string> Channels,
    [property: Description("True when a local extremum of the right polarity lies inside the window (not at its edge) on some channel.")] bool Found,
    [property: Description("Channel of the peak; null when not found.")] string? Channel,
    [property: Description("Peak latency, seconds; null when not found.")] double? LatencyS,
    [property: Description("Peak amplitude, µV (baseline-corrected when a baseline was used); null when not found.")] double? AmplitudeUv,
    [property: Description("|amplitude − pre-stimulus mean| / pre-stimulus SD of that channel's average; below 3 the peak cannot be told from noise. Null without a pre-stimulus interval.")] double? Snr,
    [property: Description("Why it was not found, or what limits it.")] string? Note);

/// <summary>Component-based peak search: each component in its window, with its polarity, at its usual sites, never at a window's edge.</summary>
public static class ErpComponents
{
    /// <summary>A peak below this many pre-stimulus SDs is reported as weak.</summary>
    public const double MinSnr = 3;

    public static IReadOnlyList<ErpComponentDefinition> Standard { get; } =
    [
        new("P100", 0.08, 0.13, PeakMode.Pos, ["Oz", "O1", "O2", "POz", "PO3", "PO4", "PO7", "PO8"], "occipital (visual)"),
        new("N100", 0.08, 0.15, PeakMode.Neg, ["Cz", "FCz", "Fz", "FC1", "FC2", "C1", "C2"], "fronto-central (auditory)"),
        new("P200", 0.15, 0.25, PeakMode.Pos, ["Cz", "FCz", "Fz", "FC1", "FC2"], "fronto-central"),
        new("N200", 0.20, 0.35, PeakMode.Neg, ["Fz", "FCz", "Cz", "FC1", "FC2"], "fronto-central"),
        new("P300", 0.25, 0.50, PeakMode.Pos, ["Pz", "CPz", "Cz", "P1", "P2", "CP1", "CP2", "P3", "P4"], "centro-parietal (P3b)"),
    ];

    public static IReadOnlyList<string> Names { get; } = Standard.Select(c => c.Name).ToArray();

    /// <summary>The standard component called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ErpComponentDefinition? Find(string name) => Standard.FirstOrDefault(c => c.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Seeks <paramref name="component"/> in an evoked response: on each of its sites, the most positive (negative)
    /// sample of the window that is a local extremum strictly inside it — a maximum at the window's edge is a slope
    /// running into the next deflection, not this component — and a deflection of the component's sign; of those the
    /// largest.
    /// </summary>
    public static ErpComponentPeak Seek(ErpComponentDefinition component, double[][] evoked, double[] times, IReadOnlyList<string> names)
    {
        var sites = component.Sites.Select(s => names.ToList().FindIndex(n => n.Equals(s, StringComparison.OrdinalIgnoreCase))).Where(i => i >= 0).ToArray();
        var everywhere = sites.Length == 0;
        if (everywhere)
        {
            sites = Enumerable.Range(0, names.Count).ToArray();
        }

        var sign = component.Polarity == PeakMode.Neg ? -1.0 : 1.0;
        var first = Array.FindIndex(times, t => t >= component.StartS - 1e-9);
        var last = Array.FindLastIndex(times, t => t <= component.EndS + 1e-9);
        var window = new[] { component.StartS, component.EndS };
        var polarity = component.Polarity == PeakMode.Neg ? "negative" : "positive";
        var searched = sites.Select(i => names[i]).ToArray();
        var where = everywhere ? $"none of its usual {component.Topography} sites ({string.Join(", ", component.Sites.Take(4))}…) was analysed, so every channel was searched" : null;
        if (first < 0 || last - first < 2)
        {
            return new ErpComponentPeak(component.Name, window, polarity, searched, false, null, null, null, null,
                string.Create(CultureInfo.InvariantCulture, $"The epoch ({times[0]:0.###}–{times[^1]:0.###} s) does not cover its window."));
        }

        (int Channel, int Index)? best = null;
        for (var s = 0; s < sites.Length; s++)
        {
            var row = evoked[sites[s]];
            var i = Enumerable.Range(first, last - first + 1).MaxBy(k => sign * row[k]);
            // A positive component must be a positive deflection (baseline-corrected), a negative one negative.
            var interior = i > first && i < last && sign * row[i] >= sign * row[i - 1] && sign * row[i] >= sign * row[i + 1] && sign * row[i] > 0;
            if (interior && (best is null || sign * row[i] > sign * evoked[best.Value.Channel][best.Value.Index]))
            {
                best = (sites[s], i);
            }
        }

        if (best is not { } peak)
        {
            return new ErpComponentPeak(component.Name, window, polarity, searched, false, null, null, null, null,
                string.Create(CultureInfo.InvariantCulture, $"No {polarity} peak inside {component.StartS * 1000:0}–{component.EndS * 1000:0} ms: on every channel searched the extreme lies at the window's edge (a slope, not a component) or on the wrong side of zero.{(where is null ? "" : " " + where + ".")}"));
        }

        var amplitude = evoked[peak.Channel][peak.Index];
        var snr = Snr(evoked[peak.Channel], times, amplitude);
        var note = snr < MinSnr
            ? string.Create(CultureInfo.InvariantCulture, $"Weak: only {snr:0.0}× the pre-stimulus noise; it cannot be told from noise.")
            : null;
        if (where is not null)
        {
            note = (note is null ? "" : note + " ") + char.ToUpperInvariant(where[0]) + where[1..] + ".";
        }

        return new ErpComponentPeak(component.Name, window, polarity, searched, true, names[peak.Channel], Math.Round(times[peak.Index], 6), amplitude, snr is { } v && double.IsFinite(v) ? Math.Round(v, 2) : null, note);
    }

    /// <summary>The component to lead with: the clearest found (largest SNR, at least <see cref="MinSnr"/>), else the largest found.</summary>
    public static ErpComponentPeak? Headline(IEnumerable<ErpComponentPeak> components)
    {
        var found = components.Where(c => c.Found).ToArray();
        return found.Where(c => c.Snr >= MinSnr).MaxBy(c => c.Snr) ?? found.MaxBy(c => Math.Abs(c.AmplitudeUv!.Value));
    }

    private static double? Snr(double[] row, double[] times, double amplitude)
    {
        var baseline = Enumerable.Range(0, times.Length).Where(i => times[i] < 0).Select(i => row[i]).ToArray();
        if (baseline.Length < 3)
        {
            return null;
        }

        var mean = baseline.Average();
        var sd = Math.Sqrt(baseline.Sum(v => (v - mean) * (v - mean)) / (baseline.Length - 1));
        return sd > 0 ? Math.Abs(amplitude - mean) / sd : double.PositiveInfinity;
    }
}

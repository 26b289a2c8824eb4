using System.Globalization;
using NeuraScale.Processing.Plots;
using NeuraScale.Signals.Epochs;

namespace NeuraScale.Processing.Analysis;

/// <summary>run_analysis type <c>erp</c>: parameters → <see cref="ErpAnalysis"/> → summary and one butterfly figure per label.</summary>
public static class ErpHandler
{
    public static AnalysisOutcome Run(AnalysisInput input, AnalysisParameters parameters)
    {
        var (tmin, tmax, baseline) = parameters.EpochWindow(-0.2, 0.8);
        var options = new ErpOptions
        {
            TminS = tmin,
            TmaxS = tmax,
            Baseline = baseline is { } b && b.Start < b.End ? baseline : null,
            RejectUv = parameters.OptionalNumber("reject_uv", 1e-3, 1e6, " µV"),
            EventLabels = parameters.Strings("event_labels", 50),
            PeakWindow = parameters.Range("peak_window", tmin, tmax, " s (within tmin–tmax)"),
            PeakMode = Enum.Parse<PeakMode>(parameters.Choice("peak_mode", "abs", "abs", "pos", "neg"), ignoreCase: true),
            Components = Components(parameters.Strings("components", 10)),
        };
        parameters.RejectUnknown();

        var (result, times, waves) = ErpAnalysis.Run(input, options);
        var method = string.Create(CultureInfo.InvariantCulture,
            $"Epochs {options.TminS}–{options.TmaxS} s, baseline {(options.Baseline is { } bl ? $"{bl.Start}–{bl.End} s" : "none")}, rejection {(options.RejectUv is { } r ? $"{r} µV peak-to-peak" : "off")}; shaded: ±1 standard error");
        var figures = waves
            .Select(w => ErpPlot.Render(times, w, result.Conditions.Single(c => c.Label == w.Label).Components, input.ChannelNames, input.Recording, method))
            .ToArray();
        var summary = string.Join(" ", result.Conditions.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Label}: {c.NEpochs} of {c.NEvents} epochs averaged{(c.Dropped.Count > 0 ? $" ({c.NEvents - c.NEpochs} dropped)" : "")}; {(options.PeakWindow is null ? Describe(c.Components) : $"largest peak {c.Peak.AmplitudeUv:0.0} µV at {c.Peak.LatencyS * 1000:0} ms on {c.Peak.Channel}.")}")));
        return new AnalysisOutcome(new AnalysisSections { Erp = result }, summary, figures, "One butterfly plot per event label: every channel's average, the event at 0 s, the largest peak marked, the standard error of the peak channel shaded.")
        {
            Notes = Quality(waves, times, input.ChannelNames),
        };
    }

    /// <summary>The components asked for by name, or every standard one.</summary>
    private static IReadOnlyList<ErpComponentDefinition> Components(IReadOnlyList<string>? names) =>
        names?.Select(n => ErpComponents.Find(n) ?? throw new Domain.InvalidRequestException($"components: '{n}' is not a component this tool knows; use any of {string.Join(", ", ErpComponents.Names)}.")).ToArray()
        ?? ErpComponents.Standard;

    /// <summary>"P300 +12.3 µV at 304 ms on Pz (9.1× noise); N100 −2.0 µV at 96 ms on Cz (weak: 1.8× noise); no P100, N200."</summary>
    private static string Describe(IReadOnlyList<ErpComponentPeak> components)
    {
        var found = components.Where(c => c.Found).OrderByDescending(c => c.Snr ?? 0).Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Name} {c.AmplitudeUv:+0.0;−0.0} µV at {c.LatencyS * 1000:0} ms on {c.Channel}{(c.Snr is { } snr ? (snr < ErpComponents.MinSnr ? $" (weak: {snr:0.0}× noise)" : $" ({snr:0.0}× noise)") : "")}"));
        var missing = components.Where(c => !c.Found).Select(c => c.Name).ToArray();
        var text = string.Join("; ", found);
        if (missing.Length > 0)
        {
            text += (text.Length > 0 ? "; " : "") + "no " + string.Join(", ", missing);
        }

        return text + ".";
    }

    /// <summary>Fewest epochs whose average we let stand without a warning (a P300; smaller components need more).</summary>
    public const int MinEpochs = 30;

    /// <summary>Smallest peak-to-baseline-noise ratio of a peak reported without a warning.</summary>
    public const double MinSnr = 3;

    /// <summary>What limits each average: too few epochs, a peak within the pre-stimulus noise, a peak at the epoch's edge.</summary>
    private static List<DataQualityNote> Quality(IReadOnlyList<ErpAnalysis.Waveforms> waves, double[] times, IReadOnlyList<string> channels)
    {
        var notes = new List<DataQualityNote>();
        var step = times.Length > 1 ? times[1] - times[0] : 0;
        foreach (var w in waves)
        {
            if (w.NEpochs < MinEpochs)
            {
                notes.Add(new DataQualityNote("few_epochs", null, string.Create(CultureInfo.InvariantCulture,
                    $"{w.Label}: only {w.NEpochs} epoch(s) averaged; an average's noise falls only with √n, and a P300 needs about {MinEpochs} (smaller components more) — treat its peaks as tentative.")));
            }

            var c = channels.ToList().IndexOf(w.Peak.Channel);
            var baseline = Enumerable.Range(0, times.Length).Where(i => times[i] < 0).Select(i => w.Evoked[c][i]).ToArray();
            if (baseline.Length > 2)
            {
                var mean = baseline.Average();
                var noise = Math.Sqrt(baseline.Sum(v => (v - mean) * (v - mean)) / (baseline.Length - 1));
                var snr = noise > 0 ? Math.Abs(w.Peak.AmplitudeUv - mean) / noise : double.PositiveInfinity;
                if (snr < MinSnr)
                {
                    notes.Add(new DataQualityNote("low_snr", w.Peak.Channel, string.Create(CultureInfo.InvariantCulture,
                        $"{w.Label}: the largest peak ({w.Peak.AmplitudeUv:0.0} µV on {w.Peak.Channel}) is only {snr:0.0}× the pre-stimulus noise of that channel's average; below {MinSnr}× it cannot be told from noise.")));
                }
            }

            if (times.Length > 0 && (w.Peak.LatencyS <= times[0] + (2 * step) || w.Peak.LatencyS >= times[^1] - (2 * step)))
            {
                notes.Add(new DataQualityNote("peak_at_epoch_edge", w.Peak.Channel, string.Create(CultureInfo.InvariantCulture,
                    $"{w.Label}: the largest peak lies at the edge of the epoch ({w.Peak.LatencyS * 1000:0} ms): usually a drift or the next event, not a component — narrow peak_window to the component's latency.")));
            }
        }

        return notes;
    }
}

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
        };
        parameters.RejectUnknown();

        var (result, times, waves) = ErpAnalysis.Run(input, options);
        var figures = waves
            .Select(w => ErpPlot.Render(times, w, input.ChannelNames, $"Evoked response to {w.Label} (n = {w.NEpochs}) — {input.SessionId}"))
            .ToArray();
        var summary = string.Join(" ", result.Conditions.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Label}: {c.NEpochs} of {c.NEvents} epochs averaged{(c.Dropped.Count > 0 ? $" ({c.NEvents - c.NEpochs} dropped)" : "")}; largest peak {c.Peak.AmplitudeUv:0.0} µV at {c.Peak.LatencyS * 1000:0} ms on {c.Peak.Channel}.")));
        return new AnalysisOutcome(new AnalysisSections { Erp = result }, summary, figures, "One butterfly plot per event label: every channel's average, the event at 0 s, the largest peak marked, the standard error of the peak channel shaded.");
    }
}

using NeuraScale.Domain;
using System.Globalization;
using NeuraScale.Processing.Plots;
using NeuraScale.Signals.Spectral;
using NeuraScale.Signals.TimeFrequency;

namespace NeuraScale.Processing.Analysis;

/// <summary>run_analysis type <c>time_frequency</c>: Morlet power, epoch-averaged around events, with a heat map.</summary>
public static class TimeFrequencyHandler
{
    public static AnalysisOutcome Run(AnalysisInput input, AnalysisParameters parameters)
    {
        var nyquist = input.SamplingRateHz / 2;
        var freqs = parameters.Numbers("freqs", 0.1, nyquist, 200, " Hz");
        var fmin = parameters.OptionalNumber("fmin", 0.1, nyquist, " Hz");
        var fmax = parameters.OptionalNumber("fmax", 0.1, nyquist, " Hz");
        var fstep = parameters.Number("fstep", 1, 0.05, 100, " Hz");
        if (freqs is null && (fmin is not null || fmax is not null))
        {
            var from = fmin ?? 3;
            var to = fmax ?? Math.Min(40, nyquist - fstep);
            if (to < from)
            {
                throw new InvalidRequestException($"fmax ({to} Hz) must not be below fmin ({from} Hz).");
            }

            freqs = Enumerable.Range(0, (int)Math.Floor(((to - from) / fstep) + 1e-9) + 1).Select(i => from + (i * fstep)).ToArray();
        }

        var aroundEvents = parameters.Boolean("around_events", true);
        var tmin = parameters.Number("tmin", -0.5, -10, 10, " s");
        var tmax = parameters.Number("tmax", 1.0, -10, 10, " s");
        var continuous = !aroundEvents || input.Events.Count == 0;
        var frequencies = freqs ?? new TimeFrequencyOptions().FrequenciesHz.Where(f => f < nyquist).ToArray();
        var cycles = parameters.Numbers("n_cycles", 0.1, 100, 200, "");
        var given = parameters.Range("baseline", -1e6, 1e6, " s");
        (double, double)? baseline = parameters.IsExplicitNull("baseline") ? null : given ?? (continuous ? null : DefaultBaseline(tmin, tmax, frequencies, cycles));
        var modeName = parameters.Choice("baseline_mode", "logratio", "mean", "ratio", "logratio", "percent", "zscore");
        var options = new TimeFrequencyOptions
        {
            FrequenciesHz = frequencies,
            Cycles = cycles,
            Decim = parameters.Has("decim") ? parameters.WholeNumber("decim", 1, 1, 1000) : parameters.MarkKnown("decim"),
            AroundEvents = aroundEvents,
            TminS = tmin,
            TmaxS = tmax,
            EventLabels = parameters.Strings("event_labels", 50),
            Baseline = baseline,
            BaselineMode = modeName switch
            {
                "mean" => BaselineMode.Mean,
                "ratio" => BaselineMode.Ratio,
                "percent" => BaselineMode.Percent,
                "zscore" => BaselineMode.ZScore,
                _ => BaselineMode.LogRatio,
            },
            Bands = parameters.NamedRanges("bands", 0, nyquist, " Hz")?.Select(b => new FrequencyBand(b.Name, b.Low, b.High)).ToArray() ?? FrequencyBand.Standard,
        };
        var plotChannel = parameters.Text("plot_channel");
        parameters.RejectUnknown();
        if (tmax <= tmin)
        {
            throw new InvalidRequestException($"tmax ({tmax} s) must be later than tmin ({tmin} s).");
        }

        var (result, power, times, valid) = TimeFrequencyAnalysis.Run(input, options);
        var names = input.ChannelNames.ToList();
        var shown = plotChannel ?? result.Peak.Channel;
        var index = names.IndexOf(shown);
        if (index < 0)
        {
            throw new InvalidRequestException($"plot_channel '{plotChannel}' is not among the analysed channels ({string.Join(", ", names)}).");
        }

        var diverging = options.Baseline is not null && options.BaselineMode != BaselineMode.Ratio;
        var png = TimeFrequencyPlot.Render(power[index], valid, options.FrequenciesHz, times, result.PowerUnit, diverging,
            $"Time–frequency power at {shown}{(result.NEpochs > 1 ? $", {result.NEpochs} epochs" : "")}",
            input.Recording,
            string.Create(CultureInfo.InvariantCulture, $"Morlet, n_cycles {(options.Cycles is null ? "f/2" : string.Join(", ", options.Cycles.Take(3)))}, baseline {result.Baseline}; grey: cone of influence"));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Morlet power over {options.FrequenciesHz.Count} frequencies ({options.FrequenciesHz[0]:0.#}–{options.FrequenciesHz[^1]:0.#} Hz), {(result.NEpochs > 1 ? $"{result.NEpochs} epochs averaged" : "one continuous window")}, baseline {result.Baseline}. Largest value outside the wavelets' cone of influence {result.Peak.Value:0.###} {result.PowerUnit} at {result.Peak.FrequencyHz:0.#} Hz, {result.Peak.TimeS:0.###} s on {result.Peak.Channel}.");
        return new AnalysisOutcome(new AnalysisSections { TimeFrequency = result }, summary, [png], $"Heat map of time-frequency power at {shown} (frequency × time, colour = {result.PowerUnit}); grey: the wavelets' cone of influence (edge effects, not scaled); the dashed line marks the event.")
        {
            Notes = Quality(result, options),
        };
    }

    /// <summary>
    /// From the first time outside every frequency's cone of influence (rounded up to 10 ms) to 0 s: a baseline that the
    /// epoch's edge does not bias. When the pre-stimulus interval is shorter than the cone, from tmin (and a note says so).
    /// </summary>
    private static (double, double) DefaultBaseline(double tmin, double tmax, IReadOnlyList<double> frequencies, IReadOnlyList<double>? cycles)
    {
        var reach = TimeFrequencyAnalysis.ConeOfInfluence(frequencies, cycles ?? frequencies.Select(f => f / 2).ToArray()).DefaultIfEmpty(0).Max();
        var start = Math.Ceiling((tmin + reach) * 100) / 100;
        return (start < 0 ? start : tmin, Math.Min(0, tmax));
    }

    /// <summary>Fewest epochs an event-related power map is reported from without a warning.</summary>
    public const int MinEpochs = 20;

    /// <summary>What limits the map: few epochs behind an average, and a baseline inside the wavelets' cone of influence.</summary>
    private static List<DataQualityNote> Quality(TimeFrequencyResult result, TimeFrequencyOptions options)
    {
        var notes = new List<DataQualityNote>();
        if (result.NEpochs is > 1 and < MinEpochs)
        {
            notes.Add(new DataQualityNote("few_epochs", null, string.Create(CultureInfo.InvariantCulture,
                $"Only {result.NEpochs} epochs averaged: event-related power changes of tens of percent need about {MinEpochs} or more to stand out of the trial-to-trial variability.")));
        }

        if (options.Baseline is { } baseline && result.TimesS.Count > 0)
        {
            // A baseline interval is edge-affected where it lies within the cone of influence of the epoch's start.
            var start = result.TimesS[0];
            var affected = Enumerable.Range(0, result.FrequenciesHz.Count).Where(k => baseline.Start < start + result.ConeOfInfluenceS[k]).Select(k => result.FrequenciesHz[k]).ToArray();
            if (affected.Length > 0)
            {
                notes.Add(new DataQualityNote("baseline_in_cone_of_influence", null, string.Create(CultureInfo.InvariantCulture,
                    $"The baseline ({baseline.Start}–{baseline.End} s) begins within the wavelets' cone of influence at {affected.Min():0.#}–{affected.Max():0.#} Hz, where power at the epoch's start is lowered by the edge; normalised values there are biased upwards. Start tmin earlier than the baseline by about {result.ConeOfInfluenceS.Max():0.##} s.")));
            }
        }

        return notes;
    }
}

using NeuraScale.Domain;
using NeuraScale.Signals;
using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Epochs;

namespace NeuraScale.Processing.Analysis;

/// <summary>Parameters of an event-related potential analysis (MNE's Epochs arguments, in µV).</summary>
public sealed record ErpOptions
{
    public double TminS { get; init; } = -0.2;

    public double TmaxS { get; init; } = 0.8;

    /// <summary>Baseline interval relative to the event, seconds; null for none.</summary>
    public (double Start, double End)? Baseline { get; init; } = (-0.2, 0.0);

    /// <summary>Peak-to-peak rejection threshold, µV; null keeps every epoch.</summary>
    public double? RejectUv { get; init; }

    /// <summary>Event labels to analyse, each as its own condition; null for every label present.</summary>
    public IReadOnlyList<string>? EventLabels { get; init; }

    /// <summary>
    /// Window searched for the largest peak over all channels (MNE's get_peak), seconds relative to the event; null to
    /// lead with the clearest ERP component instead.
    /// </summary>
    public (double Start, double End)? PeakWindow { get; init; }

    /// <summary>Components sought, each in its window with its polarity at its usual sites.</summary>
    public IReadOnlyList<ErpComponentDefinition> Components { get; init; } = ErpComponents.Standard;

    public PeakMode PeakMode { get; init; } = PeakMode.Abs;
}

[Description("Event-related potentials: epochs around event markers, averaged per event label.")]
public sealed record ErpResult(
    [property: Description("How epochs and averages were computed, with the MNE equivalent.")] string Method,
    [property: Description("Epoch sample times relative to the event, seconds; null when the waveforms are omitted.")] IReadOnlyList<double>? TimesS,
    [property: Description("One entry per event label.")] IReadOnlyList<ErpCondition> Conditions,
    [property: Description("Why waveforms were omitted, if they were.")] string? Note);

[Description("The evoked response to one event label.")]
public sealed record ErpCondition(
    [property: Description("Event label, e.g. stimulus/target.")] string Label,
    [property: Description("Events with this label in the window.")] int NEvents,
    [property: Description("Epochs kept and averaged.")] int NEpochs,
    [property: Description("Events dropped (out of bounds or rejected), with reasons; at most 20 listed.")] IReadOnlyList<DroppedEvent> Dropped,
    [property: Description("The headline peak: by default the clearest component found (largest SNR; see components); with peak_window, the largest peak in it over all channels (as mne.Evoked.get_peak).")] ErpPeak Peak,
    [property: Description("Each channel's own peak in the peak window (default 0 s to tmax).")] IReadOnlyList<ErpPeak> ChannelPeaks,
    [property: Description("Each ERP component sought (P100, N100, P200, N200, P300 by default) in its usual window, with its polarity, at its usual sites; a maximum at a window's edge is not a peak.")] IReadOnlyList<ErpComponentPeak> Components,
    [property: Description("Evoked average per channel over times_s, µV; null when omitted.")] IReadOnlyList<IReadOnlyList<double>>? EvokedUv,
    [property: Description("Standard error of the mean per channel over times_s, µV; null when omitted.")] IReadOnlyList<IReadOnlyList<double>>? StandardErrorUv);

[Description("An event that gave no epoch.")]
public sealed record DroppedEvent(
    [property: Description("Event onset, seconds from the start of the analysed window.")] double OnsetS,
    [property: Description("Why it was dropped.")] string Reason);

[Description("A peak of an evoked response.")]
public sealed record ErpPeak(
    [property: Description("Channel name.")] string Channel,
    [property: Description("Latency after the event, seconds.")] double LatencyS,
    [property: Description("Amplitude at the peak, µV (baseline-corrected when a baseline was used).")] double AmplitudeUv);

/// <summary>Epochs, evoked averages, standard errors and peaks per event label, for the ERP tool and its figure.</summary>
public static class ErpAnalysis
{
    /// <summary>Most waveform values (conditions × channels × times × 2) returned inline.</summary>
    public const int MaxWaveformValues = 40_000;

    /// <summary>The evoked data of one condition, for plotting.</summary>
    public sealed record Waveforms(string Label, double[][] Evoked, double[][] StandardError, ErpPeak Peak, int NEpochs);

    public static (ErpResult Result, double[] Times, IReadOnlyList<Waveforms> Waves) Run(AnalysisInput input, ErpOptions options)
    {
        if (input.Events.Count == 0)
        {
            throw new InvalidRequestException("The analysed window has no event markers, so there is nothing to average; choose a session or window with stimulus markers (query_sessions shows event_count).");
        }

        var labels = options.EventLabels ?? input.Events.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var missing = labels.Where(l => input.Events.All(e => e.Label != l)).ToArray();
        if (missing.Length > 0)
        {
            var present = string.Join(", ", input.Events.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            throw new InvalidRequestException($"No event is labelled {string.Join(", ", missing.Select(m => $"'{m}'"))} in the window; labels present: {present}.");
        }

        var settings = new EpochSettings(options.TminS, options.TmaxS, options.Baseline, options.RejectUv);
        var names = input.ChannelNames;
        var peakWindow = options.PeakWindow ?? (0, options.TmaxS);
        var conditions = new List<ErpCondition>();
        var waves = new List<Waveforms>();
        double[] times = [];
        foreach (var label in labels)
        {
            var events = input.Events.Where(e => e.Label == label).ToArray();
            EpochSet set;
            try
            {
                set = Epoching.Extract(input.Data, events.Select(e => e.Sample).ToArray(), input.SamplingRateHz, settings, names);
            }
            catch (SignalParameterException ex)
            {
                throw new InvalidRequestException(ex.Problem);
            }

            times = set.Times;
            var dropped = set.Dropped.Take(20).Select(d => new DroppedEvent(Math.Round(events[d.EventIndex].Sample / input.SamplingRateHz, 4), d.Reason)).ToArray();
            if (set.Data.Length == 0)
            {
                throw new InvalidRequestException(
                    $"All {events.Length} '{label}' epochs were dropped ({set.Dropped.GroupBy(d => d.Reason.Split(" > ")[0].Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}").Aggregate((a, b) => a + ", " + b)}); raise reject_uv, narrow tmin/tmax or widen the time window. First reason: {set.Dropped[0].Reason}.");
            }

            var evoked = Evoked.Average(set.Data);
            var error = Evoked.StandardError(set.Data);
            ErpPeak[] peaks;
            try
            {
                peaks = evoked.Select((row, c) =>
                {
                    var i = Evoked.PeakIndex(row, set.Times, peakWindow.Start, peakWindow.End, options.PeakMode);
                    return new ErpPeak(names[c], Math.Round(set.Times[i], 6), row[i]);
                }).ToArray();
            }
            catch (SignalParameterException ex)
            {
                throw new InvalidRequestException(ex.Problem);
            }

            var components = options.Components.Select(c => ErpComponents.Seek(c, evoked, set.Times, names)).ToArray();
            var best = options.PeakWindow is null && ErpComponents.Headline(components) is { } headline
                ? new ErpPeak(headline.Channel!, headline.LatencyS!.Value, headline.AmplitudeUv!.Value)
                : peaks.MaxBy(p => options.PeakMode switch { PeakMode.Abs => Math.Abs(p.AmplitudeUv), PeakMode.Pos => p.AmplitudeUv, _ => -p.AmplitudeUv })!;
            conditions.Add(new ErpCondition(label, events.Length, set.Data.Length, dropped, best, peaks, components, Rows(evoked), Rows(error)));
            waves.Add(new Waveforms(label, evoked, error, best, set.Data.Length));
        }

        var inline = conditions.Count * names.Count * times.Length * 2 <= MaxWaveformValues;
        if (!inline)
        {
            conditions = conditions.Select(c => c with { EvokedUv = null, StandardErrorUv = null }).ToList();
        }

        var baseline = options.Baseline is { } b ? FormattableString.Invariant($"({b.Start}, {b.End})") : "None";
        var reject = options.RejectUv is { } r ? FormattableString.Invariant($"dict(eeg={r}e-6)") : "None";
        var result = new ErpResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Epochs {options.TminS}–{options.TmaxS} s around each event, baseline {baseline} s mean subtracted, peak-to-peak rejection {(options.RejectUv is null ? "off" : options.RejectUv + " µV")}; average and standard error (SD/√n) over kept epochs; {(options.PeakWindow is null ? $"components sought in their windows at their usual sites ({string.Join(", ", options.Components.Select(c => FormattableString.Invariant($"{c.Name} {c.StartS * 1000:0}–{c.EndS * 1000:0} ms {(c.Polarity == PeakMode.Neg ? "−" : "+")}")))}), the clearest leading" : $"largest peak ({options.PeakMode.ToString().ToLowerInvariant()}) in {peakWindow.Start}–{peakWindow.End} s")}. As mne.Epochs(raw, events, tmin={options.TminS}, tmax={options.TmaxS}, baseline={baseline}, reject={reject}).average()."),
            inline ? times : null,
            conditions,
            inline ? null : $"Waveforms ({conditions.Count} condition(s) × {names.Count} channels × {times.Length} samples) exceed the inline limit; select fewer channels or a shorter tmin–tmax to receive them.");
        return (result, times, waves);
    }

    private static IReadOnlyList<double>[] Rows(double[][] data) => data.Select(r => (IReadOnlyList<double>)r).ToArray();
}

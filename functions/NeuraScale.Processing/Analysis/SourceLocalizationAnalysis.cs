using NeuraScale.Domain;
using NeuraScale.Signals;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Epochs;
using NeuraScale.Signals.Sources;

namespace NeuraScale.Processing.Analysis;

/// <summary>Parameters of an ERP source localisation.</summary>
public sealed record SourceLocalizationOptions
{
    public InverseMethod Method { get; init; } = InverseMethod.SLoreta;

    /// <summary>Assumed amplitude SNR of the averaged data; regularisation λ² = 1/SNR².</summary>
    public double Snr { get; init; } = 3;

    /// <summary>Event label to average; null for the label with the most events.</summary>
    public string? EventLabel { get; init; }

    public double TminS { get; init; } = -0.2;

    public double TmaxS { get; init; } = 0.8;

    public (double Start, double End)? Baseline { get; init; } = (-0.2, 0.0);

    /// <summary>
    /// Latency to localise, seconds after the event; null for the ERP's clearest component (as run_analysis erp finds
    /// it: P300 at Pz in an oddball), or, when no component is found, the global field power's largest local maximum
    /// after 0 s away from the epoch's edges.
    /// </summary>
    public double? TimeS { get; init; }
}

[Description("Distributed source estimate of an evoked response on a spherical head model.")]
public sealed record SourceLocalizationResult(
    [property: Description("Inverse method and parameters.")] string Method,
    [property: Description("Head model, electrode positions and source grid.")] string HeadModel,
    [property: Description("Event label averaged.")] string EventLabel,
    [property: Description("Epochs averaged.")] int NEpochs,
    [property: Description("Latency localised, seconds after the event.")] double TimeS,
    [property: Description("Why that latency: time_s as given, the ERP component whose peak it is, or the field-power maximum.")] string TimeChosenBy,
    [property: Description("Global field power (SD across electrodes, average reference) at that latency, µV.")] double GfpUv,
    [property: Description("Electrodes used (known 10-20/10-10 positions).")] IReadOnlyList<string> Electrodes,
    [property: Description("Channels left out because their label is not a standard position.")] IReadOnlyList<string> SkippedChannels,
    [property: Description("Unit of the source values: nA·m for mne (a current moment); dimensionless for sloreta and dspm, which are noise-normalised by the pre-stimulus noise as MNE's are (dSPM ≈ 1 where there is only noise).")] string ValueUnit,
    [property: Description("The source with the largest value.")] SourcePoint Peak,
    [property: Description("The five largest sources, strongest first.")] IReadOnlyList<SourcePoint> TopSources);

[Description("A source grid point in head coordinates (x right, y front, z up; origin at the sphere's centre).")]
public sealed record SourcePoint(
    [property: Description("x, mm (positive: right).")] double XMm,
    [property: Description("y, mm (positive: front).")] double YMm,
    [property: Description("z, mm (positive: up).")] double ZMm,
    [property: Description("Source value, value_unit.")] double Value,
    [property: Description("The electrode nearest to the point, as a rough anatomical pointer.")] string NearestElectrode);

/// <summary>Averages epochs of one event label and localises the response at one latency with MNE or sLORETA.</summary>
public static class SourceLocalizationAnalysis
{
    private static readonly SphereHeadModel Head = new();
    private static readonly Vector3[] Grid = SourceGrid.Build(Head);

    // Building an operator takes ~0.5 s; the same montage and SNR give the same operator, so it is kept.
    private static readonly ConcurrentDictionary<string, Lazy<MinimumNormInverse>> Operators = new(StringComparer.Ordinal);

    public sealed record SourceMap(Vector3[] Grid, double[] Values, IReadOnlyList<(string Name, Vector3 Position)> Electrodes, double HeadRadiusM);

    public static (SourceLocalizationResult Result, SourceMap Map) Run(AnalysisInput input, SourceLocalizationOptions options)
    {
        var known = input.Channels.Select((c, i) => (c.Name, Index: i, Position: ElectrodePositions.Find(c.Name))).ToArray();
        var used = known.Where(k => k.Position is not null).ToArray();
        var skipped = known.Where(k => k.Position is null).Select(k => k.Name).ToArray();
        if (used.Length < 8)
        {
            throw new InvalidRequestException($"Source localisation needs at least 8 EEG channels with standard 10-20/10-10 labels; {used.Length} of the selected channels have known positions ({string.Join(", ", used.Select(u => u.Name))}).");
        }

        if (input.Events.Count == 0)
        {
            throw new InvalidRequestException("Source localisation works on an evoked response and the window has no event markers; choose a session or window with stimulus markers.");
        }

        var label = options.EventLabel ?? input.Events.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var events = input.Events.Where(e => e.Label == label).Select(e => e.Sample).ToArray();
        if (events.Length == 0)
        {
            throw new InvalidRequestException($"No event is labelled '{label}'; labels present: {string.Join(", ", input.Events.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal))}.");
        }

        var data = used.Select(u => input.Data[u.Index]).ToArray();
        var names = used.Select(u => u.Name).ToArray();
        EpochSet set;
        try
        {
            set = Epoching.Extract(data, events, input.SamplingRateHz, new EpochSettings(options.TminS, options.TmaxS, options.Baseline, null), names);
        }
        catch (SignalParameterException ex)
        {
            throw new InvalidRequestException(ex.Problem);
        }

        if (set.Data.Length == 0)
        {
            throw new InvalidRequestException($"None of the {events.Length} '{label}' events leaves room for a {options.TminS}–{options.TmaxS} s epoch in the window.");
        }

        var evoked = Evoked.Average(set.Data);
        var gfp = Enumerable.Range(0, set.Times.Length).Select(t => StandardDeviation(evoked.Select(row => row[t]).ToArray())).ToArray();
        int column;
        string chosenBy;
        if (options.TimeS is { } time)
        {
            chosenBy = "time_s as given";
            column = Array.FindIndex(set.Times, t => t >= time - (0.5 / input.SamplingRateHz));
            if (column < 0 || time > set.Times[^1] + 1e-9)
            {
                throw new InvalidRequestException(FormattableString.Invariant($"time_s {time} is outside the epoch ({options.TminS}–{options.TmaxS} s)."));
            }
        }
        else if (ErpComponents.Headline(ErpComponents.Standard.Select(c => ErpComponents.Seek(c, evoked, set.Times, names))) is { } component)
        {
            // Localise what the ERP is about — its clearest component — not whatever is largest (often a drift at
            // the epoch's last sample).
            column = Array.FindIndex(set.Times, t => Math.Abs(t - component.LatencyS!.Value) < 0.5 / input.SamplingRateHz);
            chosenBy = string.Create(CultureInfo.InvariantCulture, $"the {component.Name} peak ({component.AmplitudeUv:+0.0;−0.0} µV on {component.Channel}), the clearest ERP component; pass time_s to choose another latency");
        }
        else
        {
            // No component: the largest local maximum of the field power after 0 s, never an epoch edge.
            var inside = Enumerable.Range(1, Math.Max(0, set.Times.Length - 2)).Where(t => set.Times[t] >= 0 && gfp[t] >= gfp[t - 1] && gfp[t] >= gfp[t + 1]).ToArray();
            column = inside.Length > 0 ? inside.MaxBy(t => gfp[t]) : Enumerable.Range(0, set.Times.Length).Where(t => set.Times[t] >= 0).MaxBy(t => gfp[t]);
            chosenBy = "the largest local maximum of the global field power after 0 s (no ERP component was found: the estimate is of noise unless the summary's SNR says otherwise)";
        }

        // sLORETA and dSPM are in units of the sensor noise: its SD from the average's pre-stimulus interval (average
        // reference, baseline-corrected), with a white noise covariance.
        var baseline = Enumerable.Range(0, set.Times.Length).Where(t => set.Times[t] < 0).ToArray();
        if (options.Method != InverseMethod.MinimumNorm && baseline.Length < 10)
        {
            throw new InvalidRequestException(FormattableString.Invariant($"sLORETA and dSPM are normalised by the noise of the pre-stimulus interval, and tmin {options.TminS} s leaves {baseline.Length} sample(s) before the event; use tmin ≤ −0.1 s (−0.2 by default) or method mne."));
        }

        var noiseUv = Math.Sqrt(baseline.SelectMany(t => Referenced(evoked, t)).Select(v => v * v).DefaultIfEmpty(0).Average());
        var positions = used.Select(u => u.Position!.Value).ToArray();
        var key = string.Join(",", names) + FormattableString.Invariant($"|{options.Snr}");
        var inverse = Operators.GetOrAdd(key, _ => new Lazy<MinimumNormInverse>(() => new MinimumNormInverse(Head, positions, Grid, options.Snr))).Value;
        var potentials = evoked.Select(row => row[column] * 1e-6).ToArray(); // µV → V
        var values = inverse.Apply(potentials, options.Method, noiseUv * 1e-6);
        if (options.Method == InverseMethod.MinimumNorm)
        {
            values = values.Select(v => v * 1e9).ToArray(); // A·m → nA·m
        }

        SourcePoint Point(int s) => new(
            Math.Round(Grid[s].X * 1000, 1), Math.Round(Grid[s].Y * 1000, 1), Math.Round(Grid[s].Z * 1000, 1), values[s],
            names[Enumerable.Range(0, positions.Length).MinBy(e => ((Head.RadiusM * positions[e]) - Grid[s]).Length)]);
        var order = Enumerable.Range(0, values.Length).OrderByDescending(s => values[s]).ToArray();
        var method = options.Method switch
        {
            InverseMethod.SLoreta => string.Create(CultureInfo.InvariantCulture, $"sLORETA (Pascual-Marqui 2002): √(Ĵᵀ R⁻¹ Ĵ) per source with R the 3×3 resolution block, on data whitened by the pre-stimulus noise (SD {noiseUv:0.###} µV)"),
            InverseMethod.Dspm => string.Create(CultureInfo.InvariantCulture, $"dSPM (Dale et al. 2000): |Ĵ| per source over the SD noise alone gives it, on data whitened by the pre-stimulus noise (SD {noiseUv:0.###} µV)"),
            _ => "minimum-norm estimate (Hämäläinen & Ilmoniemi 1994): current amplitude |Ĵ| per source",
        };
        var result = new SourceLocalizationResult(
            string.Create(CultureInfo.InvariantCulture, $"{method}; free orientation; average reference; white noise covariance; λ² = 1/SNR² with SNR {options.Snr} (MNE's convention). Evoked = mean of {set.Data.Length} '{label}' epochs, baseline {(options.Baseline is { } b ? $"{b.Start}–{b.End} s" : "none")}."),
            string.Create(CultureInfo.InvariantCulture, $"Homogeneous sphere, radius {Head.RadiusM * 1000:0} mm, σ {Head.ConductivitySPerM} S/m, analytic potential (Kavanagh 1978 / Lütkenhöner 1992); electrodes at standard 10-20/10-10 spherical positions (BESA angles); {Grid.Length} sources on a 10 mm grid within 72 mm of the centre and above z = −20 mm. A spherical model without the subject's MRI: expect centimetre-level accuracy at best."),
            label,
            set.Data.Length,
            Math.Round(set.Times[column], 6),
            chosenBy,
            gfp[column],
            names,
            skipped,
            options.Method switch
            {
                InverseMethod.MinimumNorm => "nA·m",
                InverseMethod.SLoreta => "sLORETA, dimensionless (noise-normalised, as MNE)",
                _ => "dSPM, dimensionless (noise-normalised: ≈ 1 for noise, as MNE)",
            },
            Point(order[0]),
            order.Take(5).Select(Point).ToArray());
        return (result, new SourceMap(Grid, values, names.Zip(positions).ToArray(), Head.RadiusM));
    }

    /// <summary>The potentials at one time, average-referenced.</summary>
    private static double[] Referenced(double[][] evoked, int t)
    {
        var mean = evoked.Average(row => row[t]);
        return evoked.Select(row => row[t] - mean).ToArray();
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}

using NeuraScale.Domain;
using System.Globalization;
using NeuraScale.Processing.Plots;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Processing.Analysis;

/// <summary>run_analysis type <c>connectivity</c>: coherence, PLV and wPLI matrices per band, with one matrix figure.</summary>
public static class ConnectivityHandler
{
    private static readonly string[] AllMeasures = ["coherence", "plv", "wpli"];

    public static AnalysisOutcome Run(AnalysisInput input, AnalysisParameters parameters)
    {
        var nyquist = input.SamplingRateHz / 2;
        var measures = parameters.Strings("measures", 3);
        var unknown = measures?.Where(m => !AllMeasures.Contains(m)).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            throw new InvalidRequestException($"measures: {string.Join(", ", unknown.Select(m => $"'{m}'"))} not supported; use any of coherence, plv, wpli.");
        }

        var options = new ConnectivityOptions
        {
            Measures = measures?.Distinct().ToArray() ?? AllMeasures,
            Bands = parameters.NamedRanges("bands", 0, nyquist, " Hz")?.Select(b => new FrequencyBand(b.Name, b.Low, b.High)).ToArray() ?? FrequencyBand.Standard,
            EpochSeconds = parameters.Number("epoch_seconds", 2.0, 0.05, 60, " s"),
            AroundEvents = parameters.Boolean("around_events", false),
            TminS = parameters.Number("tmin", -0.5, -10, 10, " s"),
            TmaxS = parameters.Number("tmax", 1.0, -10, 10, " s"),
            EventLabels = parameters.Strings("event_labels", 50),
        };
        var plotMeasure = parameters.Choice("plot_measure", options.Measures[0], [.. options.Measures]);
        var plotBand = parameters.Text("plot_band") ?? (options.Bands.Any(b => b.Name == "alpha") ? "alpha" : options.Bands[0].Name);
        parameters.RejectUnknown();
        if (options.Bands.All(b => b.Name != plotBand))
        {
            throw new InvalidRequestException($"plot_band '{plotBand}' is not one of the bands ({string.Join(", ", options.Bands.Select(b => b.Name))}).");
        }

        var (result, matrices) = ConnectivityAnalysis.Run(input, options);
        var png = ConnectivityPlot.Render(matrices[(plotMeasure, plotBand)], result.Channels, plotMeasure,
            $"{Label(plotMeasure)}, {plotBand} band, {result.Channels.Count} channels", input.Recording,
            plotMeasure == "coherence"
                ? $"Welch magnitude-squared coherence (as scipy.signal.coherence), mean over the band; grey: the diagonal"
                : $"{result.NEpochs} epochs, Hann-windowed FFTs, mean over the band; grey: the diagonal");
        var top = result.StrongestPairs.Where(p => p.Measure == plotMeasure && p.Band == plotBand).Take(3)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.ChannelA}–{p.ChannelB} {p.Value:0.00}"));
        var summary = $"Connectivity ({string.Join(", ", options.Measures)}) across {result.Channels.Count} channels in {options.Bands.Count} band(s), {result.NEpochs} epochs. Strongest {plotMeasure} in {plotBand}: {string.Join(", ", top)}.";
        return new AnalysisOutcome(new AnalysisSections { Connectivity = result }, summary, [png], $"Channel × channel {plotMeasure} matrix for the {plotBand} band; the diagonal (each channel with itself) is grey and the colour scale runs from 0 to the largest pair.")
        {
            Notes = Quality(result, matrices, options.Measures),
        };
    }

    /// <summary>Fewest epochs for phase measures reported without a warning (chance PLV falls only as 1/√n).</summary>
    public const int MinPhaseEpochs = 20;

    /// <summary>Coherence from which two channels are all but the same signal.</summary>
    public const double SharedSignalCoherence = 0.95;

    /// <summary>
    /// What limits the claims: too few epochs for PLV/wPLI (independent signals give PLV ≈ √(π/4n) by chance), and
    /// coherence so close to 1 that the channels share a signal — a common reference or volume conduction, not coupling.
    /// </summary>
    private static List<DataQualityNote> Quality(ConnectivityResult result, Dictionary<(string Measure, string Band), double[][]> matrices, IReadOnlyList<string> measures)
    {
        var notes = new List<DataQualityNote>();
        if (measures.Any(m => m is "plv" or "wpli") && result.NEpochs < MinPhaseEpochs)
        {
            notes.Add(new DataQualityNote("few_epochs", null, string.Create(CultureInfo.InvariantCulture,
                $"PLV and wPLI over only {result.NEpochs} epoch(s): independent signals give PLV ≈ {Math.Sqrt(Math.PI / (4.0 * Math.Max(1, result.NEpochs))):0.00} by chance, and wPLI is as unstable; use at least {MinPhaseEpochs} (a longer window or shorter epoch_seconds).")));
        }

        var shared = matrices.Where(m => m.Key.Measure == "coherence")
            .SelectMany(m => Enumerable.Range(0, result.Channels.Count).SelectMany(i => Enumerable.Range(i + 1, result.Channels.Count - i - 1)
                .Where(j => m.Value[i][j] >= SharedSignalCoherence)
                .Select(j => (m.Key.Band, A: result.Channels[i], B: result.Channels[j], Value: m.Value[i][j]))))
            .ToArray();
        if (shared.Length > 0)
        {
            var top = shared.MaxBy(p => p.Value);
            notes.Add(new DataQualityNote("shared_signal", null, string.Create(CultureInfo.InvariantCulture,
                $"{shared.Length} channel pair-band(s) have coherence ≥ {SharedSignalCoherence} (highest {top.A}–{top.B} {top.Value:0.00} in {top.Band}): near-identical signals, typical of a shared reference or volume conduction rather than neural coupling. Compare wPLI, which ignores zero-lag coupling, or re-reference.")));
        }

        return notes;
    }

    private static string Label(string measure) => measure switch
    {
        "plv" => "Phase-locking value",
        "wpli" => "Weighted phase lag index",
        _ => "Coherence",
    };
}

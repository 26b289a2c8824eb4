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
        return new AnalysisOutcome(new AnalysisSections { Connectivity = result }, summary, [png], $"Channel × channel {plotMeasure} matrix for the {plotBand} band; the diagonal (each channel with itself) is grey and the colour scale runs from 0 to the largest pair.");
    }

    private static string Label(string measure) => measure switch
    {
        "plv" => "Phase-locking value",
        "wpli" => "Weighted phase lag index",
        _ => "Coherence",
    };
}

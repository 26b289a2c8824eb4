using System.Globalization;
using NeuraScale.Processing.Plots;
using NeuraScale.Signals.Sources;

namespace NeuraScale.Processing.Analysis;

/// <summary>run_analysis type <c>source_localization</c>: sLORETA or MNE on the evoked response, with a top-view source map.</summary>
public static class SourceLocalizationHandler
{
    public static AnalysisOutcome Run(AnalysisInput input, AnalysisParameters parameters)
    {
        var (tmin, tmax, baseline) = parameters.EpochWindow(-0.2, 0.8);
        var options = new SourceLocalizationOptions
        {
            Method = parameters.Choice("method", "sloreta", "sloreta", "dspm", "mne") switch
            {
                "mne" => InverseMethod.MinimumNorm,
                "dspm" => InverseMethod.Dspm,
                _ => InverseMethod.SLoreta,
            },
            Snr = parameters.Number("snr", 3, 0.1, 100, ""),
            EventLabel = parameters.Text("event_label"),
            TminS = tmin,
            TmaxS = tmax,
            Baseline = baseline,
            TimeS = parameters.OptionalNumber("time_s", tmin, tmax, " s (within tmin–tmax)"),
        };
        parameters.RejectUnknown();

        var (result, map) = SourceLocalizationAnalysis.Run(input, options);
        var peak = result.Peak;
        var png = SourceMapPlot.Render(map, peak, result.ValueUnit,
            string.Create(CultureInfo.InvariantCulture, $"{Name(options.Method)} source estimate, '{result.EventLabel}' (n = {result.NEpochs}) at {result.TimeS * 1000:0} ms"),
            input.Recording,
            string.Create(CultureInfo.InvariantCulture, $"Spherical head, {result.Electrodes.Count} electrodes, SNR {options.Snr}; top view, maximum over height"));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{Name(options.Method)} estimate of the '{result.EventLabel}' response ({result.NEpochs} epochs) at {result.TimeS * 1000:0} ms (GFP {result.GfpUv:0.0} µV): strongest source ({(options.Method == InverseMethod.MinimumNorm ? $"{peak.Value:0.##} nA·m" : $"{Name(options.Method)} {peak.Value:0.#}, noise-normalised")}) at ({peak.XMm:0}, {peak.YMm:0}, {peak.ZMm:0}) mm, nearest electrode {peak.NearestElectrode}. Spherical head model, {result.Electrodes.Count} electrodes: centimetre-level accuracy at best.");
        return new AnalysisOutcome(new AnalysisSections { SourceLocalization = result }, summary, [png], "Top view of the source estimate (largest value over height at each point) inside a head outline, nose up; electrodes in blue, the peak circled.");
    }

    private static string Name(InverseMethod method) => method switch
    {
        InverseMethod.SLoreta => "sLORETA",
        InverseMethod.Dspm => "dSPM",
        _ => "Minimum-norm",
    };
}

using NeuraScale.Domain;
using System.Globalization;
using NeuraScale.Processing.Plots;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Processing.Analysis;

/// <summary>run_analysis type <c>spectral</c>: parameters → <see cref="SpectralAnalysis"/> → summary and PSD figure.</summary>
public static class SpectralHandler
{
    public static AnalysisOutcome Run(AnalysisInput input, AnalysisParameters parameters)
    {
        var nyquist = input.SamplingRateHz / 2;
        var bands = parameters.NamedRanges("bands", 0, nyquist, " Hz");
        var alpha = parameters.Range("alpha_range", 0, nyquist, " Hz") ?? (7, 14);
        var options = new SpectralOptions
        {
            WindowSeconds = parameters.Number("window_seconds", 2.0, 0.01, 600, " s"),
            Overlap = parameters.Number("overlap", 0.5, 0, 0.95, ""),
            Scaling = parameters.Choice("scaling", "density", "density", "spectrum") == "density" ? PsdScaling.Density : PsdScaling.Spectrum,
            Bands = bands?.Select(b => new FrequencyBand(b.Name, b.Low, b.High)).ToArray() ?? FrequencyBand.Standard,
            FminHz = parameters.Number("fmin", 0, 0, nyquist, " Hz"),
            FmaxHz = parameters.Number("fmax", Math.Min(60, nyquist), 0, nyquist, " Hz"),
            AlphaSearchLowHz = alpha.Low,
            AlphaSearchHighHz = alpha.High,
        };
        parameters.RejectUnknown();
        if (options.FmaxHz <= options.FminHz)
        {
            throw new InvalidRequestException($"fmax ({options.FmaxHz} Hz) must be above fmin ({options.FminHz} Hz).");
        }

        var (result, frequencies, psd) = SpectralAnalysis.Run(input, options);
        var png = SpectrumPlot.Render(result, frequencies, psd, options.FminHz, options.FmaxHz, input.Recording);
        return new AnalysisOutcome(new AnalysisSections { Spectral = result }, Summarise(result), [png], "Welch PSD per channel (log scale) with the frequency bands shaded and each channel's alpha peak marked.");
    }

    /// <summary>A peak this many times its 1/f trend is a clear rhythm (eyes-closed alpha is 10–50×); below, a weak one.</summary>
    private const double StrongPeak = 4;

    private static string Summarise(SpectralResult result)
    {
        var withPeak = result.Channels.Where(c => c.PeakAlphaHz is not null).ToArray();
        var strongestAlpha = result.Channels.Where(c => c.BandPowerUv2.ContainsKey("alpha")).OrderByDescending(c => c.BandPowerUv2["alpha"]).Take(2).Select(c => c.Channel).ToArray();
        var text = string.Create(CultureInfo.InvariantCulture, $"Spectra of {result.Channels.Count} channel(s) at {result.FrequencyResolutionHz:0.###} Hz resolution.");
        if (withPeak.Length > 0)
        {
            var median = withPeak.Select(c => c.PeakAlphaHz!.Value).Order().ElementAt(withPeak.Length / 2);
            var prominence = withPeak.Select(c => c.AlphaPeakProminence!.Value).Order().ElementAt(withPeak.Length / 2);
            text += prominence >= StrongPeak
                ? string.Create(CultureInfo.InvariantCulture, $" Alpha peak {median:0.0} Hz, {prominence:0.#}× the 1/f trend (median over {withPeak.Length} of {result.Channels.Count} channel(s) with a peak).")
                : string.Create(CultureInfo.InvariantCulture, $" Only weak alpha: local maxima around {median:0.0} Hz, {prominence:0.#}× the 1/f trend (median over {withPeak.Length} of {result.Channels.Count} channel(s)) — alpha attenuated, e.g. eyes open.");
        }
        else
        {
            text += " No alpha peak: no channel's spectrum has a local maximum above its 1/f trend in the alpha search range.";
        }

        if (strongestAlpha.Length > 0)
        {
            text += $" Alpha strongest at {string.Join(" and ", strongestAlpha)}.";
        }

        var dominant = result.Channels.GroupBy(c => c.DominantBand).OrderByDescending(g => g.Count()).First();
        return text + $" Dominant band: {dominant.Key} in {dominant.Count()} of {result.Channels.Count} channel(s).";
    }
}

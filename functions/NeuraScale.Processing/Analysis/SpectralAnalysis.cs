using NeuraScale.Domain;
using NeuraScale.Signals;
using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Processing.Analysis;

/// <summary>Parameters of a spectral analysis.</summary>
public sealed record SpectralOptions
{
    /// <summary>Welch segment length, seconds (sets the resolution: 1 / window Hz).</summary>
    public double WindowSeconds { get; init; } = 2.0;

    /// <summary>Fraction of a segment shared with the next, 0 ≤ overlap &lt; 1.</summary>
    public double Overlap { get; init; } = 0.5;

    public PsdScaling Scaling { get; init; } = PsdScaling.Density;

    public IReadOnlyList<FrequencyBand> Bands { get; init; } = FrequencyBand.Standard;

    /// <summary>Frequency range of the returned and plotted spectrum, Hz.</summary>
    public double FminHz { get; init; }

    /// <summary>Upper end of the returned and plotted spectrum, Hz (capped at Nyquist).</summary>
    public double FmaxHz { get; init; } = 60;

    /// <summary>Range searched for the individual alpha peak, Hz.</summary>
    public double AlphaSearchLowHz { get; init; } = 7;

    public double AlphaSearchHighHz { get; init; } = 14;
}

[Description("Power spectra per channel (Welch), band powers and the individual alpha peak.")]
public sealed record SpectralResult(
    [property: Description("How the spectrum was computed, with the SciPy equivalent.")] string Method,
    [property: Description("Bin spacing, Hz.")] double FrequencyResolutionHz,
    [property: Description("Unit of the PSD values: µV²/Hz for density scaling, µV² for spectrum scaling.")] string PsdUnit,
    [property: Description("The bands used, Hz.")] IReadOnlyList<BandDescriptor> Bands,
    [property: Description("Per-channel measures.")] IReadOnlyList<ChannelSpectrum> Channels,
    [property: Description("Bin frequencies of the returned PSD, Hz (fmin–fmax); null when omitted.")] IReadOnlyList<double>? FrequenciesHz,
    [property: Description("PSD per channel over frequencies_hz, in psd_unit; null when omitted (see note).")] IReadOnlyList<IReadOnlyList<double>>? Psd,
    [property: Description("Why the PSD arrays were omitted, if they were.")] string? Note);

[Description("A frequency band, Hz.")]
public sealed record BandDescriptor(
    [property: Description("Band name.")] string Name,
    [property: Description("Lower edge, Hz.")] double LowHz,
    [property: Description("Upper edge, Hz.")] double HighHz);

[Description("Spectral measures of one channel.")]
public sealed record ChannelSpectrum(
    [property: Description("Channel name.")] string Channel,
    [property: Description("Absolute power per band, µV² (integral of the PSD over the band; µV²·bins for spectrum scaling).")] IReadOnlyDictionary<string, double> BandPowerUv2,
    [property: Description("Band power as a fraction (0–1) of the power between the lowest and highest band edges.")] IReadOnlyDictionary<string, double> RelativePower,
    [property: Description("Power between the lowest and highest band edges, µV².")] double TotalPowerUv2,
    [property: Description("Individual alpha peak frequency, Hz: the most prominent local maximum of the PSD in the alpha search range that stands above the aperiodic (1/f) trend, refined between bins; null when there is none (then there is no alpha peak, only the slope).")] double? PeakAlphaHz,
    [property: Description("Height of the alpha peak over the aperiodic trend (PSD / fitted 1/f line at the peak; 1 = on the trend, eyes-closed alpha is typically 10–50): how much of a peak it is. Null without a peak.")] double? AlphaPeakProminence,
    [property: Description("The band with the most absolute power.")] string DominantBand);

/// <summary>Welch spectra, band powers and alpha peaks for every channel of an input.</summary>
public static class SpectralAnalysis
{
    /// <summary>Most PSD values (channels × bins) returned inline; beyond it only the measures are returned.</summary>
    public const int MaxPsdValues = 20_000;

    public static (SpectralResult Result, double[] Frequencies, double[][] Psd) Run(AnalysisInput input, SpectralOptions options)
    {
        var fs = input.SamplingRateHz;
        var segment = (int)Math.Round(options.WindowSeconds * fs);
        if (segment < 2 || segment > input.SampleCount)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"window_seconds {options.WindowSeconds} gives {segment} samples per segment; it must be between 2 samples and the analysed window ({input.SampleCount / fs:0.###} s). Use a shorter window_seconds or a longer time window."));
        }

        var overlap = (int)Math.Floor(options.Overlap * segment);
        var frequencies = Welch.Frequencies(segment, fs);
        var psd = input.Data.Select(_ => new double[frequencies.Length]).ToArray();
        Welch.Psd(input.Data, fs, segment, overlap, options.Scaling, psd);

        var low = options.Bands.Min(b => b.LowHz);
        var high = options.Bands.Max(b => b.HighHz);
        var channels = new ChannelSpectrum[input.Data.Length];
        for (var c = 0; c < channels.Length; c++)
        {
            var powers = options.Bands.ToDictionary(b => b.Name, b => BandPower(frequencies, psd[c], b));
            var total = BandPower(frequencies, psd[c], new FrequencyBand("total", low, high));
            var peak = AlphaPeak(frequencies, psd[c], options);
            channels[c] = new ChannelSpectrum(
                input.Channels[c].Name,
                powers,
                powers.ToDictionary(p => p.Key, p => total > 0 ? p.Value / total : 0),
                total,
                peak is { } p ? Math.Round(p.FrequencyHz, 3) : null,
                peak is { } q ? Math.Round(q.Prominence, 2) : null,
                powers.MaxBy(p => p.Value).Key);
        }

        var from = Array.FindIndex(frequencies, f => f >= options.FminHz);
        var to = Array.FindLastIndex(frequencies, f => f <= options.FmaxHz);
        var bins = Math.Max(0, to - from + 1);
        var inline = bins > 0 && bins * channels.Length <= MaxPsdValues;
        var result = new SpectralResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Welch: Hann window {segment / fs:0.###} s ({segment} samples), {overlap} samples overlap, constant detrend, {options.Scaling.ToString().ToLowerInvariant()} scaling; as scipy.signal.welch(x, fs={fs}, nperseg={segment}, noverlap={overlap}, scaling='{options.Scaling.ToString().ToLowerInvariant()}'). Band power = trapezoid integral over the band's bins."),
            fs / segment,
            options.Scaling == PsdScaling.Density ? "µV²/Hz" : "µV²",
            options.Bands.Select(b => new BandDescriptor(b.Name, b.LowHz, b.HighHz)).ToArray(),
            channels,
            inline ? frequencies[from..(to + 1)] : null,
            inline ? psd.Select(p => (IReadOnlyList<double>)p[from..(to + 1)]).ToArray() : null,
            inline ? null : $"The PSD ({channels.Length} channels × {bins} bins) exceeds the inline limit of {MaxPsdValues} values; narrow fmin/fmax or select fewer channels to receive it.");
        return (result, frequencies, psd);
    }

    /// <summary>
    /// The alpha peak over the 1/f trend fitted between 2 and 40 Hz (or Nyquist): a maximum at the edge of the search
    /// range on a falling slope is no peak. None when the spectrum is too short for the fit.
    /// </summary>
    private static SpectralPeak? AlphaPeak(double[] frequencies, double[] psd, SpectralOptions options)
    {
        try
        {
            return SpectralMeasures.PeakAboveAperiodic(frequencies, psd, options.AlphaSearchLowHz, options.AlphaSearchHighHz, AperiodicFitLowHz, Math.Min(AperiodicFitHighHz, frequencies[^1]));
        }
        catch (SignalParameterException)
        {
            return null;
        }
    }

    /// <summary>Range of the aperiodic (1/f) fit, Hz: above the drifts and blinks, below line noise and muscle.</summary>
    private const double AperiodicFitLowHz = 2;

    private const double AperiodicFitHighHz = 40;

    private static double BandPower(double[] frequencies, double[] psd, FrequencyBand band)
    {
        try
        {
            return SpectralMeasures.BandPower(frequencies, psd, band.LowHz, band.HighHz);
        }
        catch (SignalParameterException ex)
        {
            throw new InvalidRequestException($"Band '{band.Name}': {ex.Problem}");
        }
    }
}

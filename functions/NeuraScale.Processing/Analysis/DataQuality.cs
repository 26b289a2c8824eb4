using System.ComponentModel;
using System.Globalization;
using NeuraScale.Domain;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Processing.Analysis;

[Description("Something about the data or the result that limits what it can show; never silent.")]
public sealed record DataQualityNote(
    [property: Description("What was found: flat, clipped, implausible_amplitude, line_noise, few_epochs, low_snr, peak_at_epoch_edge, shared_signal, baseline_in_cone_of_influence.")] string Code,
    [property: Description("The channel concerned, or null for the whole analysis.")] string? Channel,
    [property: Description("What it means for the result, in words.")] string Message);

/// <summary>
/// Checks of the analysed samples that every analysis shares: a flat channel (no signal), a clipped one (the amplifier's
/// range reached), amplitudes no scalp EEG has (tens of µV are usual; hundreds are artefact; thousands are damage,
/// a wrong unit or a disconnected electrode), and mains interference carrying more power than the signal. What is
/// found is reported beside the result, never silently analysed.
/// </summary>
public static class SignalQuality
{
    /// <summary>Below this standard deviation (µV) a channel carries no signal.</summary>
    public const double FlatUv = 0.1;

    /// <summary>Above this standard deviation (µV) an EEG channel is not plausibly brain activity.</summary>
    public const double ImplausibleEegUv = 500;

    /// <summary>Share of samples at a channel's minimum or maximum from which it counts as clipped.</summary>
    public const double ClippedShare = 0.01;

    /// <summary>Line noise is reported when the power within ±1 Hz of the mains frequency exceeds this share of the 1–45 Hz power.</summary>
    public const double LineNoiseRatio = 1;

    private static readonly double[] MainsFrequencies = [50, 60];

    /// <summary>More channels than this with line noise are reported in one note.</summary>
    private const int LineNoiseChannelsNamed = 3;

    public static IReadOnlyList<DataQualityNote> Check(AnalysisInput input)
    {
        var notes = new List<DataQualityNote>();
        var line = new List<(string Channel, double Hz, double Ratio)>();
        for (var c = 0; c < input.Data.Length; c++)
        {
            var x = input.Data[c];
            var channel = input.Channels[c];
            if (x.Length < 2)
            {
                continue;
            }

            var mean = x.Average();
            var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            if (sd < FlatUv)
            {
                notes.Add(new DataQualityNote("flat", channel.Name, string.Create(CultureInfo.InvariantCulture, $"{channel.Name} is flat (SD {sd:0.###} {channel.Unit}): no signal — a disconnected electrode or a dead channel; its results mean nothing.")));
                continue;
            }

            var min = x.Min();
            var max = x.Max();
            var railed = x.Count(v => v == min || v == max);
            if (railed >= ClippedShare * x.Length && railed > 2)
            {
                notes.Add(new DataQualityNote("clipped", channel.Name, string.Create(CultureInfo.InvariantCulture, $"{channel.Name} sits at its extreme values in {100.0 * railed / x.Length:0.#} % of samples: clipped at the amplifier's range; spectra and peaks are distorted.")));
            }

            if (channel.Type == ChannelType.EEG && IsMicrovolts(channel.Unit) && sd > ImplausibleEegUv)
            {
                notes.Add(new DataQualityNote("implausible_amplitude", channel.Name, string.Create(CultureInfo.InvariantCulture, $"{channel.Name} has an SD of {sd:0} µV; scalp EEG is tens of µV. This is artefact, a wrong unit or damaged data — do not read its powers or peaks as brain activity.")));
            }

            if (channel.Type is ChannelType.EEG or ChannelType.EOG or ChannelType.EMG or ChannelType.ECG && LineNoise(x, input.SamplingRateHz) is { } mains)
            {
                line.Add((channel.Name, mains.Hz, mains.Ratio));
            }
        }

        if (line.Count > LineNoiseChannelsNamed)
        {
            var worst = line.OrderByDescending(l => l.Ratio).ToArray();
            notes.Add(new DataQualityNote("line_noise", null, string.Create(CultureInfo.InvariantCulture,
                $"{line.Count} of {input.Channels.Count} channels carry more {worst[0].Hz:0} Hz line noise than 1–45 Hz signal (worst {string.Join(", ", worst.Take(5).Select(l => $"{l.Channel} {l.Ratio:0.#}×"))}): notch it (apply_filter notch, notch_freq {worst[0].Hz:0}) before reading spectra, coherence or time–frequency power above 40 Hz, and check the electrodes' impedance.")));
        }
        else
        {
            notes.AddRange(line.Select(l => new DataQualityNote("line_noise", l.Channel, string.Create(CultureInfo.InvariantCulture,
                $"{l.Channel} carries {l.Ratio:0.#}× as much {l.Hz:0} Hz line noise as 1–45 Hz signal: a poor electrode contact; notch it (apply_filter notch, notch_freq {l.Hz:0}) or leave the channel out."))));
        }

        return notes;
    }

    /// <summary>
    /// The stronger of 50 and 60 Hz mains interference, as power within ±1 Hz of it over the 1–45 Hz power (Welch, 2 s
    /// Hann segments); null when weaker than <see cref="LineNoiseRatio"/>, or the window is too short or the rate too low.
    /// </summary>
    private static (double Hz, double Ratio)? LineNoise(double[] x, double fs)
    {
        var segment = (int)Math.Round(2 * fs);
        if (x.Length < segment || fs < 2 * 62)
        {
            return null;
        }

        var frequencies = Welch.Frequencies(segment, fs);
        var psd = new double[Welch.BinCount(segment)];
        Welch.Psd(x, fs, segment, segment / 2, PsdScaling.Density, psd);
        var signal = SpectralMeasures.BandPower(frequencies, psd, 1, 45);
        if (signal <= 0)
        {
            return null;
        }

        var (hz, power) = MainsFrequencies.Select(f => (f, SpectralMeasures.BandPower(frequencies, psd, f - 1, f + 1))).MaxBy(p => p.Item2);
        return power / signal > LineNoiseRatio ? (hz, power / signal) : null;
    }

    private static bool IsMicrovolts(string unit) => unit is "uV" or "µV" or "μV";
}

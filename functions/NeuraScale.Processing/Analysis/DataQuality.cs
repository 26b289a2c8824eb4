using System.ComponentModel;
using System.Globalization;
using NeuraScale.Domain;

namespace NeuraScale.Processing.Analysis;

[Description("Something about the data or the result that limits what it can show; never silent.")]
public sealed record DataQualityNote(
    [property: Description("What was found: flat, clipped, implausible_amplitude, few_epochs, low_snr, peak_at_epoch_edge.")] string Code,
    [property: Description("The channel concerned, or null for the whole analysis.")] string? Channel,
    [property: Description("What it means for the result, in words.")] string Message);

/// <summary>
/// Checks of the analysed samples that every analysis shares: a flat channel (no signal), a clipped one (the amplifier's
/// range reached), and amplitudes no scalp EEG has (tens of µV are usual; hundreds are artefact; thousands are damage,
/// a wrong unit or a disconnected electrode). What is found is reported beside the result, never silently analysed.
/// </summary>
public static class SignalQuality
{
    /// <summary>Below this standard deviation (µV) a channel carries no signal.</summary>
    public const double FlatUv = 0.1;

    /// <summary>Above this standard deviation (µV) an EEG channel is not plausibly brain activity.</summary>
    public const double ImplausibleEegUv = 500;

    /// <summary>Share of samples at a channel's minimum or maximum from which it counts as clipped.</summary>
    public const double ClippedShare = 0.01;

    public static IReadOnlyList<DataQualityNote> Check(AnalysisInput input)
    {
        var notes = new List<DataQualityNote>();
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
        }

        return notes;
    }

    private static bool IsMicrovolts(string unit) => unit is "uV" or "µV" or "μV";
}

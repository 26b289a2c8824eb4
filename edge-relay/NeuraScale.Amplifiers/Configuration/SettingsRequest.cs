using System.Globalization;

namespace NeuraScale.Amplifiers.Configuration;

/// <summary>
/// A change of settings as configure_device asks for it; null leaves a setting as it is. Each setting is checked on its
/// own against the device's capabilities: the valid ones are applied together, the others refused with the reason and
/// the allowed values — so one typo does not throw away the rest of a configuration.
/// </summary>
public sealed record SettingsRequest(
    double? SamplingRateHz = null,
    int? Gain = null,
    IReadOnlyList<string>? Channels = null,
    string? Reference = null,
    double? LineFrequencyHz = null)
{
    /// <summary>Names of the settings as the tools spell them.</summary>
    public const string SamplingRateName = "sampling_rate_hz", GainName = "gain", ChannelsName = "channels", ReferenceName = "reference", LineFrequencyName = "line_frequency_hz";

    public bool IsEmpty => SamplingRateHz is null && Gain is null && Channels is null && Reference is null && LineFrequencyHz is null;

    /// <summary>The settings after this request, what was applied and what was refused (by setting name).</summary>
    public ConfigurationOutcome ApplyTo(AmplifierSettings current, AmplifierCapabilities capabilities, Func<int, double>? inputRange = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(capabilities);
        var applied = new Dictionary<string, object>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = current;

        if (SamplingRateHz is { } rate)
        {
            if (capabilities.SamplingRatesHz.Contains(rate))
            {
                next = next with { SamplingRateHz = rate };
                applied[SamplingRateName] = rate;
            }
            else
            {
                refused[SamplingRateName] = $"{Format(rate)} Hz is not a rate this device offers; allowed: {string.Join(", ", capabilities.SamplingRatesHz.Select(Format))} Hz.";
            }
        }

        if (Gain is { } gain)
        {
            if (capabilities.Gains.Contains(gain))
            {
                next = next with { Gain = gain, InputRangeMicrovolts = inputRange?.Invoke(gain) ?? next.InputRangeMicrovolts };
                applied[GainName] = gain;
            }
            else
            {
                refused[GainName] = capabilities.Gains.Count == 0
                    ? "this device has no programmable gain."
                    : $"{gain} is not a gain this device offers; allowed: {string.Join(", ", capabilities.Gains)}.";
            }
        }

        if (Channels is { } channels)
        {
            var unknown = channels.Where(c => !capabilities.Channels.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
            var duplicated = channels.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            if (channels.Count == 0)
            {
                refused[ChannelsName] = "at least one channel must stay enabled.";
            }
            else if (unknown.Length > 0)
            {
                refused[ChannelsName] = $"{string.Join(", ", unknown)} {(unknown.Length == 1 ? "is not a channel" : "are not channels")} of this device; it has {string.Join(", ", capabilities.Channels)}.";
            }
            else if (duplicated.Length > 0)
            {
                refused[ChannelsName] = $"{string.Join(", ", duplicated)} listed more than once; name each channel once.";
            }
            else
            {
                // The device's own order and spelling, whatever order they were asked in.
                var enabled = capabilities.Channels.Where(c => channels.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
                next = next with { Channels = enabled };
                applied[ChannelsName] = enabled;
            }
        }

        if (Reference is { } reference)
        {
            var match = capabilities.References.FirstOrDefault(r => string.Equals(r, reference, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                next = next with { Reference = match };
                applied[ReferenceName] = match;
            }
            else
            {
                refused[ReferenceName] = $"'{reference}' is not a reference this device offers; allowed: {string.Join(", ", capabilities.References)}.";
            }
        }

        if (LineFrequencyHz is { } line)
        {
            if (!capabilities.LineFrequenciesHz.Contains(line))
            {
                refused[LineFrequencyName] = $"{Format(line)} Hz is not a mains frequency; allowed: {string.Join(", ", capabilities.LineFrequenciesHz.Select(Format))} Hz.";
            }
            else if (line >= next.SamplingRateHz / 2)
            {
                refused[LineFrequencyName] = $"{Format(line)} Hz is at or above the Nyquist frequency ({Format(next.SamplingRateHz / 2)} Hz) of the sampling rate.";
            }
            else
            {
                next = next with { LineFrequencyHz = line };
                applied[LineFrequencyName] = line;
            }
        }

        return new ConfigurationOutcome(next, applied, refused);
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>What a configuration request did: the settings now in force, what changed, what was refused and why.</summary>
public sealed record ConfigurationOutcome(
    AmplifierSettings Settings,
    IReadOnlyDictionary<string, object> Applied,
    IReadOnlyDictionary<string, string> Refused);

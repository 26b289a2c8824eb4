namespace NeuraScale.Domain;

/// <summary>Validation rules for a session's description, shared by the relay (before recording) and the catalog.</summary>
public static class SessionRules
{
    public const int MaxChannels = 512;
    public const double MinSamplingRateHz = 1;
    public const double MaxSamplingRateHz = 20_000;

    /// <summary>Throws <see cref="ArgumentException"/> with the allowed values when the layout cannot be recorded.</summary>
    public static void ValidateLayout(IReadOnlyList<ChannelInfo> channels, double samplingRateHz)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count is < 1 or > MaxChannels)
        {
            throw new ArgumentException($"A session needs 1–{MaxChannels} channels; got {channels.Count}.", nameof(channels));
        }

        if (samplingRateHz is < MinSamplingRateHz or > MaxSamplingRateHz || samplingRateHz != Math.Floor(samplingRateHz))
        {
            throw new ArgumentException(
                $"Sampling rate must be a whole number of Hz in {MinSamplingRateHz}–{MaxSamplingRateHz} (chunks hold exactly one second); got {samplingRateHz}.",
                nameof(samplingRateHz));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var channel in channels)
        {
            if (string.IsNullOrWhiteSpace(channel.Name) || channel.Name.Length > 64)
            {
                throw new ArgumentException("Channel names must be 1–64 characters.", nameof(channels));
            }

            if (!seen.Add(channel.Name))
            {
                throw new ArgumentException($"Channel name '{channel.Name}' appears twice; names must be unique (case-insensitive).", nameof(channels));
            }
        }
    }
}

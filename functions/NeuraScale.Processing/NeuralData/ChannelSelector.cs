using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData;

/// <summary>
/// Resolves a request's <c>channels</c> — each a 0-based index or a channel name (case-insensitive), or a mix — to
/// channel indices.
/// </summary>
public static class ChannelSelector
{
    /// <summary>All channels when <paramref name="requested"/> is null or empty; otherwise each item in order.</summary>
    public static int[] Resolve(IReadOnlyList<string>? requested, IReadOnlyList<ChannelInfo> channels)
    {
        if (requested is null || requested.Count == 0)
        {
            return Enumerable.Range(0, channels.Count).ToArray();
        }

        var resolved = new int[requested.Count];
        for (var i = 0; i < requested.Count; i++)
        {
            resolved[i] = ResolveOne(requested[i], channels);
        }

        if (resolved.Distinct().Count() != resolved.Length)
        {
            throw new InvalidRequestException("channels lists the same channel twice; list each channel once.");
        }

        return resolved;
    }

    private static int ResolveOne(string text, IReadOnlyList<ChannelInfo> channels)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return CheckIndex(parsed, channels);
        }

        for (var c = 0; c < channels.Count; c++)
        {
            if (string.Equals(channels[c].Name, text, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        throw new InvalidRequestException($"channels: no channel is named '{text}'. This session's channels are: {Names(channels)}.");
    }

    private static int CheckIndex(int index, IReadOnlyList<ChannelInfo> channels) =>
        index >= 0 && index < channels.Count
            ? index
            : throw new InvalidRequestException($"channels: index {index} is out of range; this session has {channels.Count} channels, indices 0–{channels.Count - 1} ({Names(channels)}).");

    private static string Names(IReadOnlyList<ChannelInfo> channels) => string.Join(", ", channels.Select((c, i) => $"{i}={c.Name}"));
}

using System.Text.Json;
using NeuraScale.Domain;

namespace NeuraScale.Mcp.NeuralData;

/// <summary>Resolves a tool's <c>channels</c> argument — indices, names, or a mix — to channel indices.</summary>
public static class ChannelSelector
{
    /// <summary>All channels when <paramref name="requested"/> is null or empty; otherwise each item in order.</summary>
    public static int[] Resolve(IReadOnlyList<JsonElement>? requested, IReadOnlyList<ChannelInfo> channels)
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
            throw new ToolArgumentException("channels lists the same channel twice; list each channel once.");
        }

        return resolved;
    }

    private static int ResolveOne(JsonElement item, IReadOnlyList<ChannelInfo> channels)
    {
        switch (item.ValueKind)
        {
            case JsonValueKind.Number when item.TryGetInt32(out var index):
                return CheckIndex(index, channels);
            case JsonValueKind.String:
                var text = item.GetString()!;
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

                throw new ToolArgumentException($"channels: no channel is named '{text}'. This session's channels are: {Names(channels)}.");
            default:
                throw new ToolArgumentException($"channels: each item must be a 0-based index (integer) or a channel name (string); got {item.GetRawText()}.");
        }
    }

    private static int CheckIndex(int index, IReadOnlyList<ChannelInfo> channels) =>
        index >= 0 && index < channels.Count
            ? index
            : throw new ToolArgumentException($"channels: index {index} is out of range; this session has {channels.Count} channels, indices 0–{channels.Count - 1} ({Names(channels)}).");

    private static string Names(IReadOnlyList<ChannelInfo> channels) => string.Join(", ", channels.Select((c, i) => $"{i}={c.Name}"));
}

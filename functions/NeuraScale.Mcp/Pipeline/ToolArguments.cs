using System.Globalization;
using System.Text.Json;
using NeuraScale.Domain;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>Translates JSON tool arguments that have no single .NET type into what the application services take.</summary>
public static class ToolArguments
{
    /// <summary>
    /// A <c>channels</c> argument — 0-based indices (integers) or names (strings), mixed as the caller likes — as the
    /// strings the services resolve (an integer becomes its decimal text); null when omitted.
    /// </summary>
    public static IReadOnlyList<string>? Channels(IReadOnlyList<JsonElement>? channels) =>
        channels?.Select(item => item.ValueKind switch
        {
            JsonValueKind.Number when item.TryGetInt32(out var index) => index.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String => item.GetString()!,
            _ => throw new InvalidRequestException($"channels: each item must be a 0-based index (integer) or a channel name (string); got {item.GetRawText()}."),
        }).ToArray();
}

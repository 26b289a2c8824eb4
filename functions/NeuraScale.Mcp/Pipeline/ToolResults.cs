using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>Builds tool results: a one-line summary for the model to read, and the structured content its schema describes.</summary>
public static class ToolResults
{
    /// <summary>snake_case, enums as strings: the JSON shape of every structured result and its output schema.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    public static CallToolResult Structured<T>(string summary, T value) => new()
    {
        Content = [new TextContentBlock { Text = summary }],
        StructuredContent = JsonSerializer.SerializeToElement(value, Json),
    };

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(ModelContextProtocol.McpJsonUtilities.DefaultOptions)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

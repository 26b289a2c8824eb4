using System.Text.Json;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Hosting;

/// <summary>Explains which arguments do not have the JSON type the tool's input schema asks for.</summary>
internal static class ArgumentTypes
{
    public static string Describe(McpServerTool? tool, IDictionary<string, JsonElement>? arguments)
    {
        if (tool is null || arguments is null || !tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var properties))
        {
            return "an argument has the wrong JSON type; see the tool's input schema.";
        }

        var problems = new List<string>();
        foreach (var (name, value) in arguments)
        {
            if (!properties.TryGetProperty(name, out var schema))
            {
                continue;
            }

            var expected = ExpectedTypes(schema);
            if (expected.Count > 0 && !expected.Any(t => Matches(t, value)))
            {
                problems.Add($"{name} must be {string.Join(" or ", expected)}, got {value.ValueKind.ToString().ToLowerInvariant()} {Truncate(value.GetRawText())}");
            }
        }

        return problems.Count > 0
            ? string.Join("; ", problems) + "."
            : "an argument has the wrong JSON type; see the tool's input schema.";
    }

    private static List<string> ExpectedTypes(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

using System.Text.Json;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>Checks a call's arguments against the tool's input schema: required ones present, each of the JSON type asked for.</summary>
internal static class ArgumentCheck
{
    /// <summary>What is wrong with the arguments, in words; null when they fit the schema.</summary>
    public static string? Problems(McpServerTool? tool, IDictionary<string, JsonElement>? arguments)
    {
        if (tool is null)
        {
            return null;
        }

        var schema = tool.ProtocolTool.InputSchema;
        var missing = schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Select(r => r.GetString()!).Where(r => arguments is null || !arguments.TryGetValue(r, out var v) || v.ValueKind == JsonValueKind.Null).ToArray()
            : [];
        var problems = missing.Select(m => $"{m} is required").Concat(TypeProblems(tool, arguments)).ToArray();
        return problems.Length == 0 ? null : string.Join("; ", problems) + ".";
    }

    /// <summary>Which arguments do not have the JSON type the tool's input schema asks for, in words.</summary>
    public static string Describe(McpServerTool? tool, IDictionary<string, JsonElement>? arguments)
    {
        var problems = TypeProblems(tool, arguments);
        return problems.Count > 0
            ? string.Join("; ", problems) + "."
            : "an argument has the wrong JSON type; see the tool's input schema.";
    }

    private static List<string> TypeProblems(McpServerTool? tool, IDictionary<string, JsonElement>? arguments)
    {
        var problems = new List<string>();
        if (tool is null || arguments is null || !tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var properties))
        {
            return problems;
        }

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

        return problems;
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

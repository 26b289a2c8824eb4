using System.Text.Json;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>
/// Checks a call's arguments against the tool's input schema: none it does not take (a model's typo must not pass
/// silently as "argument left out"), required ones present, each of the JSON type asked for.
/// </summary>
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
        var problems = Unknown(schema, arguments).Concat(missing.Select(m => $"{m} is required")).Concat(TypeProblems(tool, arguments)).ToArray();
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

    /// <summary>Arguments the tool does not take, each with the closest name it does take when one is near.</summary>
    private static IEnumerable<string> Unknown(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        var known = properties.EnumerateObject().Select(p => p.Name).ToArray();
        foreach (var name in arguments.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            var closest = known.Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k))).OrderBy(k => k.Distance).FirstOrDefault();
            yield return closest.Name is not null && closest.Distance <= Math.Max(2, name.Length / 4)
                ? $"unknown argument '{Truncate(name)}' (did you mean '{closest.Name}'?)"
                : $"unknown argument '{Truncate(name)}' (this tool takes {(known.Length == 0 ? "no arguments" : string.Join(", ", known))})";
        }
    }

    /// <summary>Edit distance (insertions, deletions, substitutions) between two short names.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
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
                // "got null" / "got true", or the kind and the value: "got string \"abc\"".
                var got = value.ValueKind is JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False
                    ? value.GetRawText()
                    : $"{value.ValueKind.ToString().ToLowerInvariant()} {Truncate(value.GetRawText())}";
                problems.Add($"{name} must be {string.Join(" or ", expected)}, got {got}");
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

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuraScale.Domain;

namespace NeuraScale.Processing.Clinical.Protocols;

/// <summary>
/// The protocols there are: the built-in ones (JSON files embedded in this assembly, checked like any other). Parsing
/// is strict — snake_case fields, no unknown ones — so a typo in a definition is an error, not a silently missing check.
/// </summary>
public sealed class ProtocolCatalog
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IReadOnlyDictionary<string, ProtocolDefinition> _builtIn;

    public ProtocolCatalog()
    {
        var assembly = typeof(ProtocolCatalog).Assembly;
        _builtIn = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Clinical.Protocols.BuiltIn.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => Parse(Read(assembly, n)))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<ProtocolDefinition> List() => [.. _builtIn.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];

    /// <exception cref="InvalidRequestException">No such protocol; the message names the ones there are.</exception>
    public ProtocolDefinition Get(string? id) =>
        id is not null && _builtIn.TryGetValue(id.Trim(), out var protocol)
            ? protocol
            : throw new InvalidRequestException($"protocol '{id}' does not exist; there are: {string.Join(", ", _builtIn.Keys.Order(StringComparer.Ordinal))} (list_protocols describes them).");

    /// <summary>A definition from JSON, checked in full.</summary>
    /// <exception cref="InvalidRequestException">Not valid JSON, an unknown or missing field, or a rule broken; every problem is named.</exception>
    public static ProtocolDefinition Parse(string json)
    {
        ProtocolDefinition? protocol;
        try
        {
            protocol = JsonSerializer.Deserialize<ProtocolDefinition>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException($"The protocol is not a valid definition: {ex.Message}");
        }

        var problems = ProtocolValidator.Problems(protocol);
        return problems.Count == 0 ? protocol! : throw new InvalidRequestException("The protocol is not valid: " + string.Join(" ", problems));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

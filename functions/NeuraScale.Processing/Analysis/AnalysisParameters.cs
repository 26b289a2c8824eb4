using NeuraScale.Domain;
using System.Globalization;
using System.Text.Json;

namespace NeuraScale.Processing.Analysis;

/// <summary>
/// The <c>parameters</c> object of run_analysis, read with typed getters that explain bad values. Every key read is
/// remembered, so <see cref="RejectUnknown"/> can refuse a misspelt key instead of silently ignoring it.
/// </summary>
public sealed class AnalysisParameters
{
    private readonly Dictionary<string, JsonElement> _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly string _analysis;

    public AnalysisParameters(JsonElement? parameters, string analysis)
    {
        _analysis = analysis;
        if (parameters is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            _values = [];
            return;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException($"parameters must be a JSON object of {analysis} settings (or omitted for the defaults); got {json.ValueKind.ToString().ToLowerInvariant()}.");
        }

        _values = json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    }

    public double Number(string name, double fallback, double min, double max, string unit)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !(number >= min && number <= max))
        {
            throw Bad(name, value, string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}{unit}"));
        }

        return number;
    }

    public double? OptionalNumber(string name, double min, double max, string unit) =>
        Has(name) ? Number(name, double.NaN, min, max, unit) : Mark(name);

    public int WholeNumber(string name, int fallback, int min, int max)
    {
        var number = Number(name, fallback, min, max, "");
        return number == Math.Floor(number) ? (int)number : throw Bad(name, _values[name], $"a whole number from {min} to {max}");
    }

    public bool Boolean(string name, bool fallback)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, value, "true or false"),
        };
    }

    public string Choice(string name, string fallback, params string[] allowed)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().ToLowerInvariant() : null;
        return text is not null && allowed.Contains(text) ? text : throw Bad(name, value, "one of " + string.Join(", ", allowed));
    }

    /// <summary>A two-number range such as [8, 13] or [-0.2, 0], or null when absent (or explicitly null).</summary>
    public (double Low, double High)? Range(string name, double min, double max, string unit)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueKind == JsonValueKind.Number && value[1].ValueKind == JsonValueKind.Number)
        {
            double low = value[0].GetDouble(), high = value[1].GetDouble();
            if (low >= min && high <= max && low < high)
            {
                return (low, high);
            }
        }

        throw Bad(name, value, string.Create(CultureInfo.InvariantCulture, $"[low, high] with {min} ≤ low < high ≤ {max}{unit}"));
    }

    /// <summary>A list of numbers, e.g. frequencies; a single number counts as a list of one.</summary>
    public double[]? Numbers(string name, double min, double max, int maxCount, string unit)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.GetDouble() >= min && value.GetDouble() <= max)
        {
            return [value.GetDouble()];
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is > 0 and var n && n <= maxCount
            && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && v.GetDouble() >= min && v.GetDouble() <= max))
        {
            return value.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        }

        throw Bad(name, value, string.Create(CultureInfo.InvariantCulture, $"a list of 1–{maxCount} numbers from {min} to {max}{unit}"));
    }

    /// <summary>An object of named ranges, e.g. {"alpha": [8, 13]}.</summary>
    public IReadOnlyList<(string Name, double Low, double High)>? NamedRanges(string name, double min, double max, string unit)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var example = "an object of named [low, high] ranges, e.g. {\"alpha\": [8, 13], \"beta\": [13, 30]}";
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            throw Bad(name, value, example);
        }

        var ranges = new List<(string, double, double)>();
        foreach (var band in value.EnumerateObject())
        {
            var inner = new AnalysisParameters(JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { [band.Name] = band.Value }), _analysis);
            var range = inner.Range(band.Name, min, max, unit) ?? throw Bad(name, value, example);
            ranges.Add((band.Name, range.Low, range.High));
        }

        return ranges;
    }

    /// <summary>True when the key is given with the value null (e.g. "baseline": null to turn baseline correction off).</summary>
    public bool IsExplicitNull(string name) => _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Null;

    /// <summary>A list of strings, e.g. event labels.</summary>
    public string[]? Strings(string name, int maxCount)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is > 0 and var n && n <= maxCount
            && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0))
        {
            return value.EnumerateArray().Select(v => v.GetString()!).ToArray();
        }

        throw Bad(name, value, $"a list of 1–{maxCount} non-empty strings");
    }

    /// <summary>A free-text value (e.g. a channel name), or null.</summary>
    public string? Text(string name)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Bad(name, value, "a string");
    }

    /// <summary>
    /// The epoch window around events (<c>tmin</c>, <c>tmax</c>, seconds) and its <c>baseline</c>: [start, end] within the
    /// window, null for none, or by default from tmin to 0 (or none when <paramref name="baselineByDefault"/> is false).
    /// </summary>
    public (double Tmin, double Tmax, (double Start, double End)? Baseline) EpochWindow(double tmin, double tmax, bool baselineByDefault = true)
    {
        var from = Number("tmin", tmin, -10, 10, " s");
        var to = Number("tmax", tmax, -10, 10, " s");
        if (to <= from)
        {
            throw new InvalidRequestException($"tmax ({to} s) must be later than tmin ({from} s).");
        }

        var given = Range("baseline", from, to, " s (within tmin–tmax)");
        (double, double)? fallback = baselineByDefault ? (from, Math.Min(0, to)) : null;
        return (from, to, IsExplicitNull("baseline") ? null : given ?? fallback);
    }

    /// <summary>Refuses keys no getter asked for, listing the ones this analysis understands.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_known.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidRequestException($"parameters: {string.Join(", ", unknown.Select(k => $"'{k}'"))} {(unknown.Length == 1 ? "is" : "are")} not a {_analysis} setting; allowed: {string.Join(", ", _known.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>True when the key is given with a non-null value.</summary>
    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>Records a key as understood without reading it; returns null for use as an absent value.</summary>
    public int? MarkKnown(string name)
    {
        _known.Add(name);
        return null;
    }

    private double? Mark(string name)
    {
        _known.Add(name);
        return null;
    }

    private InvalidRequestException Bad(string name, JsonElement value, string allowed) =>
        new($"parameters.{name} must be {allowed} for {_analysis}; got {value.GetRawText()}.");
}

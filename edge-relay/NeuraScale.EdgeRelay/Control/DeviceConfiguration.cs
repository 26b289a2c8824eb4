using System.Text.Json;
using System.Text.Json.Nodes;
using NeuraScale.Amplifiers.Configuration;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>configure_device's arguments and answers as JSON, and the settings a relay keeps across restarts.</summary>
public static class DeviceConfiguration
{
    /// <summary>Reads a settings change from a command's arguments; a value of the wrong type is refused outright.</summary>
    public static SettingsRequest Parse(string argumentsJson)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        var root = document.RootElement;
        double? Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new DeviceCommandException($"{name} must be a number.")
            : null;
        var gain = Number(SettingsRequest.GainName);
        if (gain is { } g && g != Math.Floor(g))
        {
            throw new DeviceCommandException($"gain must be a whole number; got {g}.");
        }

        string[]? channels = null;
        if (root.TryGetProperty(SettingsRequest.ChannelsName, out var c) && c.ValueKind != JsonValueKind.Null)
        {
            channels = c.ValueKind == JsonValueKind.Array && c.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? c.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : throw new DeviceCommandException("channels must be a list of channel names, e.g. [\"Fp1\", \"Fp2\", \"O1\", \"O2\"].");
        }

        string? reference = null;
        if (root.TryGetProperty(SettingsRequest.ReferenceName, out var r) && r.ValueKind != JsonValueKind.Null)
        {
            reference = r.ValueKind == JsonValueKind.String ? r.GetString() : throw new DeviceCommandException("reference must be a name, e.g. \"average\".");
        }

        var request = new SettingsRequest(Number(SettingsRequest.SamplingRateName), gain is { } whole ? (int)Math.Clamp(whole, int.MinValue, int.MaxValue) : null, channels, reference, Number(SettingsRequest.LineFrequencyName));
        return request.IsEmpty
            ? throw new DeviceCommandException("configure_device needs at least one of sampling_rate_hz, gain, channels, reference, line_frequency_hz.")
            : request;
    }

    /// <summary>The settings as a request that would restore them.</summary>
    public static SettingsRequest ToRequest(AmplifierSettings settings) =>
        new(settings.SamplingRateHz, settings.Gain, settings.Channels, settings.Reference, settings.LineFrequencyHz);

    public static JsonObject Describe(AmplifierSettings settings) => new()
    {
        [SettingsRequest.SamplingRateName] = settings.SamplingRateHz,
        [SettingsRequest.GainName] = settings.Gain,
        ["input_range_uv"] = settings.InputRangeMicrovolts,
        [SettingsRequest.ReferenceName] = settings.Reference,
        [SettingsRequest.LineFrequencyName] = settings.LineFrequencyHz,
        [SettingsRequest.ChannelsName] = new JsonArray(settings.Channels.Select(c => (JsonNode)c).ToArray()),
    };

    public static JsonObject Describe(AmplifierCapabilities capabilities) => new()
    {
        [SettingsRequest.SamplingRateName] = new JsonArray(capabilities.SamplingRatesHz.Select(r => (JsonNode)r).ToArray()),
        [SettingsRequest.GainName] = new JsonArray(capabilities.Gains.Select(g => (JsonNode)g).ToArray()),
        [SettingsRequest.ReferenceName] = new JsonArray(capabilities.References.Select(r => (JsonNode)r).ToArray()),
        [SettingsRequest.LineFrequencyName] = new JsonArray(capabilities.LineFrequenciesHz.Select(f => (JsonNode)f).ToArray()),
        [SettingsRequest.ChannelsName] = new JsonArray(capabilities.Channels.Select(c => (JsonNode)c).ToArray()),
    };

    public static JsonObject Describe(string deviceId, string state, ConfigurationOutcome outcome)
    {
        var applied = new JsonObject();
        foreach (var (name, value) in outcome.Applied)
        {
            applied[name] = JsonSerializer.SerializeToNode(value);
        }

        var refused = new JsonObject();
        foreach (var (name, reason) in outcome.Refused)
        {
            refused[name] = reason;
        }

        return new JsonObject
        {
            ["device_id"] = deviceId,
            ["state"] = state,
            ["applied"] = applied,
            ["refused"] = refused,
            ["settings"] = Describe(outcome.Settings),
        };
    }
}

using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage.Devices;

namespace NeuraScale.Mcp.Servers.Devices;

[Description("An amplifier behind an edge relay.")]
public sealed record DeviceSummary(
    [property: Description("Device id, the argument of the other device tools.")] string DeviceId,
    [property: Description("connected, disconnected, recording, or offline (its relay has stopped heartbeating).")] string Status,
    [property: Description("eeg, emg or ecg.")] string Modality,
    [property: Description("Manufacturer model.")] string Model,
    [property: Description("simulator or edf-playback, or a real amplifier's driver.")] string Driver,
    [property: Description("Number of channels.")] int Channels,
    [property: Description("Sampling rate, Hz.")] double SamplingRateHz,
    [property: Description("Battery charge, %, when the device reports one.")] double? BatteryPercent,
    [property: Description("The session being recorded, when recording.")] string? SessionId,
    [property: Description("The relay that drives it.")] string RelayId,
    [property: Description("Seconds since the relay's last heartbeat.")] double? RelayLastSeenSecondsAgo,
    [property: Description("One-second chunks waiting in the relay's spool for storage, at its last heartbeat (growing: storage unreachable or the uplink too slow).")] int? RelaySpoolDepth,
    [property: Description("Age of the oldest chunk waiting in the relay's spool, seconds.")] double? RelaySinkLagSeconds,
    [property: Description("Why it is offline, when it is.")] string? OfflineReason);

[Description("Devices matching the filters.")]
public sealed record DeviceListResult([property: Description("Devices, by id.")] IReadOnlyList<DeviceSummary> Devices);

[Description("A command sent to a device through its relay, and what came of it.")]
public sealed record CommandResult(
    [property: Description("Command id (cmd_…): get_command_status follows it.")] string CommandId,
    [property: Description("The device it was sent to.")] string DeviceId,
    [property: Description("What was asked: connect, disconnect, get_diagnostics, …")] string Command,
    [property: Description("queued (the relay has not taken it yet), running, succeeded, failed (see error) or expired (never run).")] string State,
    [property: Description("What the relay reported, when it succeeded.")] JsonElement? Result,
    [property: Description("Why it failed or expired.")] string? Error,
    [property: Description("When it was sent.")] DateTimeOffset CreatedAt,
    [property: Description("A command not started by then is never run.")] DateTimeOffset ExpiresAt,
    [property: Description("When it finished.")] DateTimeOffset? CompletedAt);

/// <summary>The device tools' results: structured content plus a sentence for the model.</summary>
internal static class DeviceResults
{
    public static CallToolResult List(IReadOnlyList<DeviceView> views, DeviceControlService service) => ToolResults.Structured(
        views.Count == 0 ? "No devices match." : $"{views.Count} device(s): " + string.Join("; ", views.Select(v => $"{v.Device.Id} {v.Status}")),
        new DeviceListResult(views.Select(v => new DeviceSummary(
            v.Device.Id, v.Status, v.Device.Modality, v.Device.Model, v.Device.Driver, v.Device.ChannelCount, v.Device.SamplingRateHz,
            v.Device.BatteryPercent, v.Status == DeviceStates.Recording ? v.Device.SessionId : null, v.Device.RelayId,
            v.RelaySilence is { } s ? Math.Round(s.TotalSeconds, 1) : null,
            v.Relay?.SpoolDepth,
            v.Relay?.SinkLagSeconds,
            v.Status == DeviceStates.Offline ? service.Offline(v) : null)).ToArray()));

    public static CallToolResult Command(CommandRecord command)
    {
        var result = new CommandResult(
            command.Id, command.DeviceId, command.Kind, command.State,
            command.Result is null ? null : JsonDocument.Parse(command.Result).RootElement.Clone(),
            command.Error, command.CreatedAt, command.ExpiresAt, command.CompletedAt);
        var summary = command.State switch
        {
            CommandStates.Succeeded => $"{command.Kind} on {command.DeviceId} succeeded: {command.Result}",
            CommandStates.Failed => $"{command.Kind} on {command.DeviceId} failed: {command.Error}",
            CommandStates.Expired => $"{command.Kind} on {command.DeviceId} expired and was not run: {command.Error}",
            _ => $"{command.Kind} on {command.DeviceId} is {command.State} (command {command.Id}); get_command_status follows it.",
        };
        var structured = ToolResults.Structured(summary, result);
        structured.IsError = command.State is CommandStates.Failed or CommandStates.Expired ? true : null;
        return structured;
    }
}

using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Devices;

namespace NeuraScale.Mcp.Servers.Devices;

/// <summary>Amplifiers behind edge relays: what there is, and commands that run on the relay (thin façade over <see cref="DeviceControlService"/>).</summary>
[McpServerToolType]
public sealed class DeviceTools(DeviceControlService devices, CallerAccessor callers)
{
    private const string WaitDescription = "Seconds to wait for the relay's answer, 0–60 (default 20). The command runs either way; if it has not finished, its command_id comes back and get_command_status follows it.";

    [McpServerTool(Name = "list_devices", Title = "List amplifiers", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(DeviceListResult))]
    [RequiresPermission(Permissions.DevicesRead)]
    [Description("Amplifiers registered by edge relays, with their status: connected, disconnected, recording, or offline when their relay has stopped heartbeating (with how long ago it was last seen).")]
    public async Task<CallToolResult> ListDevices(
        [Description("Only this modality: eeg, emg or ecg.")] string? type = null,
        [Description("Only this status: connected, disconnected, recording, offline or all (default).")] string? status = null,
        [Description("Only devices of this relay.")] string? relay_id = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.List(await devices.ListAsync(type, status, relay_id, cancellationToken).ConfigureAwait(false), devices);

    [McpServerTool(Name = "connect_device", Title = "Connect an amplifier", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Connects a disconnected amplifier through its edge relay (connecting a connected one changes nothing). Refused at once if its relay is offline.")]
    public async Task<CallToolResult> ConnectDevice(
        [Description("Device id from list_devices.")] string device_id,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "connect", "{}", wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "disconnect_device", Title = "Disconnect an amplifier", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Disconnects a connected amplifier (not while it records: stop the recording first).")]
    public async Task<CallToolResult> DisconnectDevice(
        [Description("Device id from list_devices.")] string device_id,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "disconnect", "{}", wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "get_device_diagnostics", Title = "Amplifier diagnostics", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesRead)]
    [Description("Asks the amplifier, through its relay, for its battery, firmware, model, channels, sampling rate, state and time connected.")]
    public async Task<CallToolResult> GetDeviceDiagnostics(
        [Description("Device id from list_devices.")] string device_id,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "get_diagnostics", "{}", wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "get_command_status", Title = "Device command status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesRead)]
    [Description("State and outcome of a device command you sent (its command_id comes from the device tools): queued, running, succeeded (with the result), failed (with why) or expired (never run).")]
    public async Task<CallToolResult> GetCommandStatus(
        [Description("Command id, cmd_…")] string command_id,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.GetCommandAsync(command_id, callers.Current, cancellationToken).ConfigureAwait(false));
}

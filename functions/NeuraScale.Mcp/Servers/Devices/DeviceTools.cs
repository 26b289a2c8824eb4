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

    [McpServerTool(Name = "check_impedance", Title = "Check electrode impedances", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Measures each electrode's impedance on a connected amplifier (not while it records), in kΩ, rated good (< 5), acceptable (5–10) or poor (≥ 10), with what to do about the electrodes that are not good, by name, and whether it is ready to record.")]
    public async Task<CallToolResult> CheckImpedance(
        [Description("Device id from list_devices; it must be connected.")] string device_id,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "check_impedance", "{}", wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "configure_device", Title = "Configure an amplifier", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Changes a connected amplifier's settings (not while it records): sampling rate, gain, enabled channels, reference, mains frequency. Each setting is checked against what the device offers: the result lists what was applied, what was refused with the reason and the allowed values, and the settings now in force. get_device_diagnostics shows the allowed values.")]
    public async Task<CallToolResult> ConfigureDevice(
        [Description("Device id from list_devices; it must be connected.")] string device_id,
        [Description("Samples per second per channel, one the device offers (the simulated EEG: 250, 500, 1000, 2000).")] double? sampling_rate_hz = null,
        [Description("Programmable gain, one the device offers (the simulator: 1, 2, 4, 6, 8, 12, 24); a lower gain widens the input range.")] int? gain = null,
        [Description("Channels to enable by name, e.g. [\"Fp1\", \"Fp2\", \"O1\", \"O2\"]; the others are switched off.")] string[]? channels = null,
        [Description("Reference, one the device offers (simulated EEG: linked-mastoids or average).")] string? reference = null,
        [Description("Mains frequency where the device is: 50 or 60 Hz.")] double? line_frequency_hz = null,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.ConfigureAsync(callers.Current, device_id, new DeviceSettingsChange(sampling_rate_hz, gain, channels, reference, line_frequency_hz), wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "monitor_signal_quality", Title = "Monitor signal quality", ReadOnly = true, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesRead, Category = RateLimitCategory.DeviceControl)]
    [Description("Watches a connected or recording amplifier's live signal for a few seconds and rates it, computed on the relay where the samples are: per channel SNR (dB), line-noise power at the mains frequency (detected: 50 or 60 Hz), flat and railed channels, electrode pops, muscle bursts, blinks, dropped samples, a 0–100 score (good ≥ 80, fair ≥ 50, poor) and recommendations that name the channels and what to do.")]
    public async Task<CallToolResult> MonitorSignalQuality(
        [Description("Device id from list_devices; it must be connected or recording.")] string device_id,
        [Description("Seconds of live signal to assess, 2–60 (default 10).")] double? duration_seconds = null,
        [Description("Seconds to wait for the relay's answer, 0–60; by default the duration plus 10 s. The check runs either way; if it has not finished, its command_id comes back and get_command_status follows it.")] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.MonitorSignalQualityAsync(callers.Current, device_id, duration_seconds, wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "start_recording", Title = "Start a recording", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Starts recording a connected amplifier for a patient, through its edge relay. Returns the new session_id once storage lists the session (query_sessions shows it as recording at once; get_neural_data reads it as it grows). One recording per device: a device already recording is refused, naming its state.")]
    public async Task<CallToolResult> StartRecording(
        [Description("Device id from list_devices; it must be connected.")] string device_id,
        [Description("The patient's pseudonym, psn_… (never a name or record number).")] string patient_id,
        [Description("Seconds to record, more than 0 and at most 86400; leave out to record until stop_recording.")] double? duration_seconds = null,
        [Description("Task or protocol, at most 500 characters; no patient-identifying text.")] string? description = null,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.StartRecordingAsync(callers.Current, device_id, patient_id, duration_seconds, description, wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "insert_marker", Title = "Mark the recording", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Puts a labelled marker (an event, as technologists annotate 'eyes open' or 'hyperventilation start') into a device's recording at the amplifier's current sample; answers with the sample and time once it is stored with the recording.")]
    public async Task<CallToolResult> InsertMarker(
        [Description("Device id from list_devices; it must be recording.")] string device_id,
        [Description("Marker label, 1–100 characters, e.g. eyes_open; no patient-identifying text.")] string label,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "insert_marker", System.Text.Json.JsonSerializer.Serialize(new { label }), wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "stop_recording", Title = "Stop a recording", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesControl, Category = RateLimitCategory.DeviceControl)]
    [Description("Stops a device's recording: the last partial second is kept, and the answer comes once storage has every sample; the session is then completed.")]
    public async Task<CallToolResult> StopRecording(
        [Description("Device id from list_devices; it must be recording.")] string device_id,
        [Description(WaitDescription)] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        DeviceResults.Command(await devices.SendAsync(callers.Current, device_id, "stop_recording", "{}", wait_seconds, ProgressReports.Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "get_device_diagnostics", Title = "Amplifier diagnostics", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [RequiresPermission(Permissions.DevicesRead)]
    [Description("Asks the amplifier, through its relay, for its health and set-up: battery, temperature, uptime, dropped samples, clock drift, firmware and model, the settings in force (rate, gain and input range, channels, reference, mains) and the values each setting allows, with warnings.")]
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

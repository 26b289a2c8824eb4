using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Devices;

namespace NeuraScale.Processing.Devices;

/// <summary>What configure_device asks to change; null leaves a setting as it is.</summary>
public sealed record DeviceSettingsChange(double? SamplingRateHz, int? Gain, IReadOnlyList<string>? Channels, string? Reference, double? LineFrequencyHz);

/// <summary>A device as a tool reports it: what the relay last said, with "offline" when the relay has gone quiet.</summary>
public sealed record DeviceView(DeviceRecord Device, string Status, RelayRecord? Relay, TimeSpan? RelaySilence);

/// <summary>
/// The tools' side of the control plane. Tools never reach a relay: a command is written to the <c>commands</c> table
/// and its id put on that relay's queue; the relay runs it and writes the outcome, which this service waits for (up to
/// a bound, reporting progress) or leaves for <see cref="GetCommandAsync"/>. A device whose relay has not heartbeated
/// within <see cref="DeviceControlOptions.OfflineAfterSeconds"/> is refused at once, saying when it was last seen.
/// </summary>
public sealed class DeviceControlService(
    RelayRegistry registry,
    CommandStore commands,
    RelayQueues queues,
    SessionCatalog catalog,
    IAuditLog audit,
    IOptions<DeviceControlOptions> options,
    TimeProvider time)
{
    private readonly DeviceControlOptions _options = options.Value;

    /// <summary>Devices, optionally filtered by modality, status (connected, disconnected, recording, offline, all) and relay.</summary>
    public async Task<IReadOnlyList<DeviceView>> ListAsync(string? modality, string? status, string? relayId, CancellationToken cancellationToken)
    {
        var wanted = (status ?? "all").Trim().ToLowerInvariant();
        string[] statuses = ["all", DeviceStates.Connected, DeviceStates.Disconnected, DeviceStates.Recording, DeviceStates.Offline];
        if (!statuses.Contains(wanted))
        {
            throw new InvalidRequestException($"status '{status}' is not one of {string.Join(", ", statuses)}.");
        }

        var relays = (await registry.ListRelaysAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var devices = await registry.ListDevicesAsync(string.IsNullOrWhiteSpace(relayId) ? null : relayId.Trim(), cancellationToken).ConfigureAwait(false);
        return devices
            .Select(d => View(d, relays.GetValueOrDefault(d.RelayId)))
            .Where(v => wanted == "all" || v.Status == wanted)
            .Where(v => string.IsNullOrWhiteSpace(modality) || string.Equals(v.Device.Modality, modality.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(v => v.Device.Id, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Sends <paramref name="kind"/> to a device's relay and waits up to <paramref name="waitSeconds"/> for the outcome.
    /// Refused at once when the device is unknown or its relay offline. Every command is audited when it is sent.
    /// </summary>
    public async Task<CommandRecord> SendAsync(Caller caller, string deviceId, string kind, string argumentsJson, double? waitSeconds, IProgress<string>? progress, CancellationToken cancellationToken, string? patient = null)
    {
        var wait = waitSeconds ?? _options.DefaultWaitSeconds;
        if (double.IsNaN(wait) || wait < 0 || wait > DeviceControlOptions.MaxWaitSeconds)
        {
            throw new InvalidRequestException($"wait_seconds must be 0–{DeviceControlOptions.MaxWaitSeconds}; {wait.ToString(CultureInfo.InvariantCulture)} was given. With 0 the command id comes back at once; get_command_status follows it.");
        }

        var view = await GetDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
        if (view.Status == DeviceStates.Offline)
        {
            throw new InvalidRequestException(Offline(view));
        }

        // A recording belongs to its patient: a caller limited to other patients cannot mark, stop or watch it (the refused
        // call is audited as every tool call is).
        if (caller.PatientScope is { } scope && view.Status == DeviceStates.Recording && kind is "insert_marker" or "stop_recording" or "monitor_signal_quality"
            && view.Device.SessionId is { } recording && SessionId.TryParse(recording, out var sessionId)
            && await catalog.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } session && !scope.Contains(session.Patient))
        {
            throw new InvalidRequestException($"Device {view.Device.Id} is recording a patient outside your patient scope; only a caller who may see that patient can {kind.Replace('_', ' ')} it.");
        }

        var now = time.GetUtcNow();
        var command = new CommandRecord(
            "cmd_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            view.Device.RelayId,
            view.Device.Id,
            kind,
            argumentsJson,
            caller.Id,
            CommandStates.Queued,
            now,
            now.AddSeconds(_options.CommandExpirySeconds));
        await commands.CreateAsync(command, cancellationToken).ConfigureAwait(false);
        await queues.SendAsync(command.RelayId, command.Id, command.ExpiresAt - now, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = "device/" + kind, Resources = patient is null ? [view.Device.Id, command.Id] : [view.Device.Id, command.Id, patient], Outcome = "sent" }, CancellationToken.None).ConfigureAwait(false);
        progress?.Report($"Command {command.Id} queued for relay {command.RelayId}.");
        return await WaitAsync(command, TimeSpan.FromSeconds(wait), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// start_recording, checked here before anything is sent: the patient a pseudonym within the caller's patient
    /// scope, the duration 0–24 h (none: until stopped), the description at most 500 characters.
    /// </summary>
    public Task<CommandRecord> StartRecordingAsync(Caller caller, string deviceId, string patientId, double? durationSeconds, string? description, double? waitSeconds, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (!PatientPseudonym.TryParse(patientId?.Trim(), out var patient))
        {
            throw new InvalidRequestException("patient_id must be a patient pseudonym: 'psn_' followed by 16 characters a-z or 2-7. Names or record numbers are not accepted here.");
        }

        if (caller.PatientScope is { } scope && !scope.Contains(patient))
        {
            throw new InvalidRequestException($"Patient {patient} is not one you may record: your key is limited to other patients.");
        }

        if (durationSeconds is { } d && (double.IsNaN(d) || d <= 0 || d > 86_400))
        {
            throw new InvalidRequestException($"duration_seconds must be more than 0 and at most 86400 (24 h); {d.ToString(CultureInfo.InvariantCulture)} was given. Leave it out to record until stop_recording.");
        }

        if (description is { Length: > 500 })
        {
            throw new InvalidRequestException($"description is {description.Length} characters; at most 500 are kept. Describe the task or protocol, never the patient's identity.");
        }

        var arguments = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["patient_id"] = patient.Value, ["duration_seconds"] = durationSeconds, ["description"] = description });
        return SendAsync(caller, deviceId, "start_recording", arguments, waitSeconds, progress, cancellationToken, patient.Value);
    }

    /// <summary>
    /// configure_device: the settings' shapes are checked here (at least one setting, a rate that is a positive number,
    /// 1–256 channel names, mains 50 or 60 Hz); whether the device offers a value is the relay's to say, setting by
    /// setting, in the command's result.
    /// </summary>
    public Task<CommandRecord> ConfigureAsync(Caller caller, string deviceId, DeviceSettingsChange change, double? waitSeconds, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change is { SamplingRateHz: null, Gain: null, Channels: null, Reference: null, LineFrequencyHz: null })
        {
            throw new InvalidRequestException("configure_device needs at least one of sampling_rate_hz, gain, channels, reference, line_frequency_hz; get_device_diagnostics lists the values the device allows.");
        }

        if (change.SamplingRateHz is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new InvalidRequestException($"sampling_rate_hz must be a positive number of Hz, one the device offers (get_device_diagnostics lists them); {rate.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        if (change.Gain is { } gain && gain <= 0)
        {
            throw new InvalidRequestException($"gain must be a positive whole number the device offers (e.g. 1, 2, 4, 6, 8, 12, 24); {gain} was given.");
        }

        if (change.Channels is { } channels && (channels.Count is 0 or > 256 || channels.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 32)))
        {
            throw new InvalidRequestException("channels must list 1–256 channel names (each 1–32 characters), e.g. [\"Fp1\", \"Fp2\", \"O1\", \"O2\"]; the device's own names are in get_device_diagnostics.");
        }

        if (change.Reference is { } reference && (string.IsNullOrWhiteSpace(reference) || reference.Length > 32))
        {
            throw new InvalidRequestException("reference must name one of the device's references (e.g. linked-mastoids, average); get_device_diagnostics lists them.");
        }

        if (change.LineFrequencyHz is { } line && line is not (50 or 60))
        {
            throw new InvalidRequestException($"line_frequency_hz must be 50 or 60, the mains frequency where the device is; {line.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        var arguments = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sampling_rate_hz"] = change.SamplingRateHz,
            ["gain"] = change.Gain,
            ["channels"] = change.Channels,
            ["reference"] = change.Reference?.Trim(),
            ["line_frequency_hz"] = change.LineFrequencyHz,
        });
        return SendAsync(caller, deviceId, "configure", arguments, waitSeconds, progress, cancellationToken);
    }

    /// <summary>
    /// monitor_signal_quality: 2–60 s of live signal assessed on the relay. Unless told otherwise, waits for the whole
    /// stretch plus 10 s (at most the 60 s bound; past it the command id comes back).
    /// </summary>
    public Task<CommandRecord> MonitorSignalQualityAsync(Caller caller, string deviceId, double? durationSeconds, double? waitSeconds, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var duration = durationSeconds ?? 10;
        if (double.IsNaN(duration) || duration < 2 || duration > 60)
        {
            throw new InvalidRequestException($"duration_seconds must be 2–60 s of live signal (default 10); {duration.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        var arguments = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["duration_seconds"] = duration });
        return SendAsync(caller, deviceId, "monitor_signal_quality", arguments, waitSeconds ?? Math.Min(DeviceControlOptions.MaxWaitSeconds, duration + 10), progress, cancellationToken);
    }

    /// <summary>A command this caller sent, as it stands (another caller's is reported as not existing).</summary>
    public async Task<CommandRecord> GetCommandAsync(string commandId, Caller caller, CancellationToken cancellationToken)
    {
        var command = string.IsNullOrWhiteSpace(commandId) ? null : await commands.GetAsync(commandId.Trim(), cancellationToken).ConfigureAwait(false);
        return command is not null && command.Caller == caller.Id
            ? command
            : throw new InvalidRequestException($"Command '{commandId}' does not exist among your commands. Command ids look like cmd_… and are returned by the device tools.");
    }

    /// <summary>One device, or a refusal naming the devices there are.</summary>
    public async Task<DeviceView> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var device = string.IsNullOrWhiteSpace(deviceId) ? null : await registry.GetDeviceAsync(deviceId.Trim(), cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            var known = (await registry.ListDevicesAsync(null, cancellationToken).ConfigureAwait(false)).Select(d => d.Id).Order(StringComparer.Ordinal).Take(20).ToArray();
            throw new InvalidRequestException($"There is no device '{deviceId}'. {(known.Length == 0 ? "No relay has registered a device yet." : "Devices: " + string.Join(", ", known) + ".")} list_devices shows them with their status.");
        }

        return View(device, await registry.GetRelayAsync(device.RelayId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Why a device is offline, in words a person can act on.</summary>
    public string Offline(DeviceView view) => view.Relay is null
        ? $"Device {view.Device.Id} is offline: its relay {view.Device.RelayId} has never heartbeated."
        : $"Device {view.Device.Id} is offline: relay {view.Device.RelayId} last seen {Ago(view.RelaySilence!.Value)} ago (it heartbeats every {view.Relay.HeartbeatSeconds} s; offline after {_options.OfflineAfterSeconds} s). Check that the relay process is running and can reach Azure.";

    private DeviceView View(DeviceRecord device, RelayRecord? relay)
    {
        var silence = relay is null ? (TimeSpan?)null : time.GetUtcNow() - relay.LastSeen;
        var offline = relay is null || silence > TimeSpan.FromSeconds(_options.OfflineAfterSeconds);
        return new DeviceView(device, offline ? DeviceStates.Offline : device.State, relay, silence);
    }

    private async Task<CommandRecord> WaitAsync(CommandRecord command, TimeSpan wait, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var delay = TimeSpan.FromMilliseconds(50);
        var reported = command.State;
        while (true)
        {
            var current = await commands.GetAsync(command.Id, cancellationToken).ConfigureAwait(false) ?? command;
            if (CommandStates.IsFinished(current.State) || time.GetUtcNow() >= deadline)
            {
                return current;
            }

            if (current.State != reported)
            {
                progress?.Report($"Command {current.Id} is {current.State} on relay {current.RelayId}.");
                reported = current.State;
            }

            // Every 50 ms for the first two seconds (most commands finish within them), then backing off to 500 ms.
            var left = deadline - time.GetUtcNow();
            await Task.Delay(left < delay ? left : delay, time, cancellationToken).ConfigureAwait(false);
            if (time.GetUtcNow() - command.CreatedAt > TimeSpan.FromSeconds(2))
            {
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
        }
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 120
        ? $"{Math.Round(span.TotalSeconds):0} s"
        : span.TotalMinutes < 120 ? $"{Math.Round(span.TotalMinutes):0} min" : $"{Math.Round(span.TotalHours):0} h";
}

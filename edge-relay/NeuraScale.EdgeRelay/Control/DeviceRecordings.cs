using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Storage.Devices;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>
/// Recordings started through the control plane: each runs the same pipeline as <c>relay record</c> (driver → one-second
/// chunks → the device's own disk spool → storage), in the background. Starting returns once storage lists the session
/// (status recording); a recording ends at its duration or on stop_recording, and the device is connected again. A
/// recording a crash interrupted is resumed from its spool when the relay starts.
/// </summary>
public sealed partial class DeviceRecordings(
    IChunkSink sink,
    RelayPresence presence,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<DeviceRecordings>();

    /// <summary>start_recording: patient pseudonym (required), duration_seconds (optional, until stopped), description (no PHI).</summary>
    public async Task<JsonObject> StartAsync(ControlledDevice device, string argumentsJson, CancellationToken cancellationToken)
    {
        var (patient, duration, description) = Parse(argumentsJson);
        device.BeginRecording(); // refuses unless connected: one recording per device, whoever asks
        var relayOptions = new RelayOptions { SpoolDirectory = SpoolOf(device), Patient = patient, DurationSeconds = duration ?? 0, Description = description };
        try
        {
            var session = await RunAsync(device, relayOptions, cancellationToken).ConfigureAwait(false);
            return new JsonObject
            {
                ["device_id"] = device.Id,
                ["state"] = DeviceStates.Recording,
                ["session_id"] = session.Id.Value,
                ["duration_seconds"] = duration,
                ["channels"] = session.Channels.Count,
                ["sampling_rate_hz"] = session.SamplingRateHz,
            };
        }
        catch
        {
            device.EndRecording();
            throw;
        }
    }

    /// <summary>stop_recording: ends the recording (the partial last second is kept) and waits for storage to have it all.</summary>
    public async Task<JsonObject> StopAsync(ControlledDevice device, CancellationToken cancellationToken)
    {
        if (!_running.TryGetValue(device.Id, out var running))
        {
            throw new DeviceCommandException($"Device {device.Id} is {device.State}: stop_recording is not possible now (nothing is recording).");
        }

        await running.Stop.CancelAsync().ConfigureAwait(false);
        var session = await running.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["device_id"] = device.Id, ["state"] = device.State, ["session_id"] = session.Id.Value, ["status"] = "completed" };
    }

    /// <summary>insert_marker: a labelled marker at "now" in the device's recording, answered once it is on disk.</summary>
    public async Task<JsonObject> MarkAsync(ControlledDevice device, string argumentsJson, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        var label = document.RootElement.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()!.Trim() : string.Empty;
        if (label.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(label) > 100)
        {
            throw new DeviceCommandException("insert_marker needs a label of 1–100 characters, e.g. 'eyes_open' or 'hyperventilation/start' (no patient-identifying text).");
        }

        if (!_running.TryGetValue(device.Id, out var running))
        {
            throw new DeviceCommandException($"Device {device.Id} is {device.State}: insert_marker is not possible now (markers go into a recording; start_recording first).");
        }

        var marker = await running.Relay.MarkAsync(label).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["device_id"] = device.Id,
            ["session_id"] = device.SessionId,
            ["label"] = marker.Label,
            ["sample"] = marker.Sample,
            ["time_seconds"] = Math.Round(marker.Sample / device.Driver.Device.SamplingRateHz, 3),
        };
    }

    /// <summary>The recording's blocks as they arrive, or null when the device is not recording.</summary>
    public IAsyncEnumerable<NeuraScale.Amplifiers.SampleBlock>? Tap(ControlledDevice device, CancellationToken cancellationToken) =>
        _running.TryGetValue(device.Id, out var running) ? running.Relay.TapAsync(cancellationToken) : null;

    /// <summary>Resumes every recording a previous run of the relay left in a device's spool.</summary>
    public async Task ResumeAsync(DeviceFleet fleet, CancellationToken cancellationToken)
    {
        foreach (var device in fleet.All)
        {
            var spool = SpoolOf(device);
            if (new DiskSpool(spool).Load() is not { } state)
            {
                continue;
            }

            device.Connect();
            device.BeginRecording();
            var relayOptions = new RelayOptions { SpoolDirectory = spool, Patient = state.Session.Patient.Value };
            await RunAsync(device, relayOptions, cancellationToken).ConfigureAwait(false);
            LogResumed(_logger, device.Id, state.Session.Id.Value);
        }
    }

    /// <summary>Starts the pipeline in the background; returns the session once the sink has opened it.</summary>
    private async Task<RecordingSession> RunAsync(ControlledDevice device, RelayOptions relayOptions, CancellationToken cancellationToken)
    {
        var relay = new RecordingRelay(device.Driver, sink, new DiskSpool(relayOptions.SpoolDirectory), Options.Create(relayOptions), time, loggers.CreateLogger<RecordingRelay>());
        var stop = new CancellationTokenSource();
        var opened = new TaskCompletionSource<RecordingSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(async () =>
        {
            try
            {
                return await relay.RunAsync(session => opened.TrySetResult(session), stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                opened.TrySetException(ex);
                LogRecordingFailed(_logger, device.Id, ex.GetType().Name, ex.Message);
                throw;
            }
            finally
            {
                _running.TryRemove(device.Id, out _);
                device.EndRecording();
                await PublishQuietlyAsync(device).ConfigureAwait(false);
                stop.Dispose();
            }
        }, CancellationToken.None);
        _running[device.Id] = new Running(task, stop, relay);

        var session = await opened.Task.WaitAsync(OpenTimeout, cancellationToken).ConfigureAwait(false);
        device.Recording(session.Id.Value);
        await PublishQuietlyAsync(device).ConfigureAwait(false);
        return session;
    }

    private async Task PublishQuietlyAsync(ControlledDevice device)
    {
        try
        {
            await presence.PublishAsync(device, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogPublishFailed(_logger, device.Id, ex.Message); // the next heartbeat publishes it
        }
    }

    private string SpoolOf(ControlledDevice device) => Path.Combine(options.Value.SpoolDirectory, device.Id);

    private static (string Patient, double? Duration, string? Description) Parse(string argumentsJson)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        var root = document.RootElement;
        var patient = root.TryGetProperty("patient_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : string.Empty;
        if (!PatientPseudonym.TryParse(patient, out _))
        {
            throw new DeviceCommandException("start_recording needs patient_id, the patient's pseudonym (psn_ followed by 16 characters a-z or 2-7).");
        }

        double? duration = root.TryGetProperty("duration_seconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
        if (duration is { } seconds && (double.IsNaN(seconds) || seconds <= 0 || seconds > 86_400))
        {
            throw new DeviceCommandException($"duration_seconds must be more than 0 and at most 86400 (24 h); {seconds.ToString(CultureInfo.InvariantCulture)} was given. Leave it out to record until stop_recording.");
        }

        var description = root.TryGetProperty("description", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (patient, duration, description);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed the recording of device {Device}, session {Session}, from its spool.")]
    private static partial void LogResumed(ILogger logger, string device, string session);

    [LoggerMessage(Level = LogLevel.Error, Message = "The recording of device {Device} failed ({Error}: {Detail}); its spool keeps what was recorded.")]
    private static partial void LogRecordingFailed(ILogger logger, string device, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the state of device {Device}: {Detail}")]
    private static partial void LogPublishFailed(ILogger logger, string device, string detail);

    private sealed record Running(Task<RecordingSession> Task, CancellationTokenSource Stop, RecordingRelay Relay);
}

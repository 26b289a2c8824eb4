using System.Globalization;
using System.Text.Json;
using NeuraScale.Domain;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Devices;

namespace NeuraScale.Processing.Clinical.Runs;

/// <summary>
/// The work of a protocol run's activities, each one step on the device through the device-control service (so every
/// command is audited as the caller's) or a look at the catalog. Each is safe to repeat — an orchestration engine runs
/// an activity again when the instance running it stopped before recording its result: starting adopts the run's own
/// recording, stopping a stopped recording is a no-op.
/// </summary>
public sealed class ProtocolRunSteps(ConsentService consent, SchedulingService scheduling, DeviceControlService devices, SessionCatalog catalog, Reports.ReportJobs reports, TimeProvider time)
{
    /// <summary>Seconds to wait for a relay's answer to one command.</summary>
    private const double CommandWaitSeconds = 45;

    public async Task<ActivityOutcome> CheckConsentAsync(ProtocolRunRequest request, CancellationToken cancellationToken)
    {
        var protocol = request.Protocol;
        try
        {
            await consent.RequireAsync(PatientPseudonym.Parse(request.PatientId), protocol.ConsentPurpose, cancellationToken).ConfigureAwait(false);
            return ActivityOutcome.Success;
        }
        catch (InvalidRequestException ex)
        {
            return ActivityOutcome.Refused(ex.Message);
        }
    }

    /// <summary>The device is known, online, of the protocol's modality and free; a disconnected one is connected.</summary>
    public async Task<ActivityOutcome> PrepareDeviceAsync(ProtocolRunRequest request, CancellationToken cancellationToken)
    {
        var protocol = request.Protocol;
        var view = await devices.GetDeviceAsync(request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (view.Status == DeviceStates.Offline)
        {
            return ActivityOutcome.Refused($"Device {request.DeviceId} is offline (its relay has not been heard from); nothing was recorded.");
        }

        if (!string.Equals(view.Device.Modality, protocol.Modality, StringComparison.OrdinalIgnoreCase))
        {
            return ActivityOutcome.Refused($"Device {request.DeviceId} records {view.Device.Modality}; protocol {protocol.Id} needs an {protocol.Modality} amplifier.");
        }

        if (view.Status == DeviceStates.Recording && !await IsOwnRecordingAsync(request, view.Device.SessionId, cancellationToken).ConfigureAwait(false))
        {
            return ActivityOutcome.Refused($"Device {request.DeviceId} is recording another session ({view.Device.SessionId}); wait for it to finish or stop it first.");
        }

        if (view.Status == DeviceStates.Disconnected)
        {
            var connected = await devices.SendAsync(request.Caller.ToCaller(), request.DeviceId, "connect", "{}", CommandWaitSeconds, null, cancellationToken).ConfigureAwait(false);
            if (connected.State != CommandStates.Succeeded)
            {
                return ActivityOutcome.Refused($"Device {request.DeviceId} could not be connected: {connected.Error ?? connected.State}.");
            }
        }

        return ActivityOutcome.Success;
    }

    /// <summary>Electrode impedances; every channel above the threshold is named in the problem.</summary>
    public async Task<ImpedanceOutcome> MeasureImpedanceAsync(ProtocolRunRequest request, double maxKiloohms, CancellationToken cancellationToken)
    {
        var view = await devices.GetDeviceAsync(request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (view.Status == DeviceStates.Recording)
        {
            return new ImpedanceOutcome(true, null, []); // this run's recording already began: the check passed before it did
        }

        if (view.Device.Driver == "edf-playback")
        {
            // A replayed file has no electrodes: said in the result, not a reason to refuse the run.
            return new ImpedanceOutcome(true, $"Not measured: {request.DeviceId} replays a recorded file and has no electrodes to measure.", []);
        }

        var command = await devices.SendAsync(request.Caller.ToCaller(), request.DeviceId, "check_impedance", "{}", CommandWaitSeconds, null, cancellationToken).ConfigureAwait(false);
        if (command.State != CommandStates.Succeeded || command.Result is null)
        {
            return new ImpedanceOutcome(false, $"The impedance check did not complete: {command.Error ?? command.State}.", []);
        }

        using var result = JsonDocument.Parse(command.Result);
        var readings = result.RootElement.GetProperty("channels").EnumerateArray()
            .Select(c => new ImpedanceReading(c.GetProperty("channel").GetString()!, c.GetProperty("impedance_kohm").GetDouble()))
            .ToList();
        var poor = readings.Where(r => r.Kiloohms > maxKiloohms).ToList();
        return poor.Count == 0
            ? new ImpedanceOutcome(true, null, readings)
            : new ImpedanceOutcome(false, $"{poor.Count} electrode(s) above the {N(maxKiloohms)} kΩ stop threshold: {string.Join(", ", poor.Select(p => $"{p.Channel} {N(p.Kiloohms)} kΩ"))}.", readings);
    }

    /// <summary>Starts the run's recording, or adopts it when an earlier attempt of this activity already started it.</summary>
    public async Task<RecordingStarted> StartRecordingAsync(ProtocolRunRequest request, double plannedSeconds, CancellationToken cancellationToken)
    {
        var view = await devices.GetDeviceAsync(request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (view.Status == DeviceStates.Recording && await IsOwnRecordingAsync(request, view.Device.SessionId, cancellationToken).ConfigureAwait(false))
        {
            return new RecordingStarted(true, null, view.Device.SessionId);
        }

        // A safety stop on the device itself: if the run were lost for good, the recording still ends — an hour past
        // one and a half times the plan, ample for a takeover by another instance (seconds to minutes).
        var safetyStop = Math.Min(86_400, (plannedSeconds * 1.5) + 3600);
        var command = await devices.StartRecordingAsync(request.Caller.ToCaller(), request.DeviceId, request.PatientId, safetyStop, Description(request), CommandWaitSeconds, null, cancellationToken).ConfigureAwait(false);
        if (command.State != CommandStates.Succeeded || command.Result is null)
        {
            return new RecordingStarted(false, $"The recording did not start: {command.Error ?? command.State}.", null);
        }

        using var result = JsonDocument.Parse(command.Result);
        return new RecordingStarted(true, null, result.RootElement.GetProperty("session_id").GetString());
    }

    /// <summary>Links the run's session to the appointment it was booked as (idempotent).</summary>
    public async Task<ActivityOutcome> LinkAppointmentAsync(ProtocolRunRequest request, string sessionId, CancellationToken cancellationToken)
    {
        if (request.AppointmentId is { } appointment)
        {
            await scheduling.LinkSessionAsync(appointment, sessionId, cancellationToken).ConfigureAwait(false);
        }

        return ActivityOutcome.Success;
    }

    /// <summary>Inserts a marker at the device's current sample; returns where it landed.</summary>
    public async Task<MarkerPlaced> MarkAsync(ProtocolRunRequest request, string label, CancellationToken cancellationToken)
    {
        var command = await devices.SendAsync(request.Caller.ToCaller(), request.DeviceId, "insert_marker", JsonSerializer.Serialize(new { label }), CommandWaitSeconds, null, cancellationToken).ConfigureAwait(false);
        if (command.State != CommandStates.Succeeded || command.Result is null)
        {
            throw new InvalidOperationException($"Marker '{label}' was not placed: {command.Error ?? command.State}.");
        }

        using var result = JsonDocument.Parse(command.Result);
        return new MarkerPlaced(result.RootElement.GetProperty("time_seconds").GetDouble());
    }

    /// <summary>
    /// Waits (at most <paramref name="maxWait"/> of wall time) until the recording holds <paramref name="seconds"/> of
    /// signal. Recording time, not wall time, is what a step lasts: a live amplifier and a faster-than-real-time
    /// simulator step the same. Not ok when the recording ended before it got there.
    /// </summary>
    public async Task<RecordingReached> WaitForRecordingAsync(string sessionId, double seconds, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var id = SessionId.Parse(sessionId);
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Session {sessionId} is not in the catalog.");
            var recorded = session.SampleCount / session.SamplingRateHz;
            if (recorded >= seconds)
            {
                return new RecordingReached(true, null, recorded);
            }

            if (session.Status != SessionStatus.Recording)
            {
                return new RecordingReached(false, $"The recording ended ({session.Status}) at {N(recorded)} s, before {N(seconds)} s.", recorded);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new RecordingReached(true, null, recorded); // not there yet: the orchestration waits again
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>monitor_signal_quality on the recording: its score and what to do.</summary>
    public async Task<QualityChecked> CheckQualityAsync(ProtocolRunRequest request, double windowSeconds, CancellationToken cancellationToken)
    {
        var command = await devices.MonitorSignalQualityAsync(request.Caller.ToCaller(), request.DeviceId, windowSeconds, null, null, cancellationToken).ConfigureAwait(false);
        if (command.State != CommandStates.Succeeded || command.Result is null)
        {
            throw new InvalidOperationException($"The signal-quality check did not complete: {command.Error ?? command.State}.");
        }

        using var result = JsonDocument.Parse(command.Result);
        var root = result.RootElement;
        return new QualityChecked(
            root.GetProperty("score").GetDouble(),
            root.GetProperty("rating").GetString() ?? "",
            [.. root.GetProperty("recommendations").EnumerateArray().Select(r => r.GetString()!).Take(5)]);
    }

    /// <summary>Stops the run's recording if it is still going; returns the seconds recorded.</summary>
    public async Task<double> StopRecordingAsync(ProtocolRunRequest request, string sessionId, CancellationToken cancellationToken)
    {
        var view = await devices.GetDeviceAsync(request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (view.Status == DeviceStates.Recording && view.Device.SessionId == sessionId)
        {
            var command = await devices.SendAsync(request.Caller.ToCaller(), request.DeviceId, "stop_recording", "{}", CommandWaitSeconds, null, cancellationToken).ConfigureAwait(false);
            if (command.State != CommandStates.Succeeded)
            {
                throw new InvalidOperationException($"The recording did not stop: {command.Error ?? command.State}.");
            }
        }

        var session = await catalog.GetAsync(SessionId.Parse(sessionId), cancellationToken).ConfigureAwait(false);
        return session is null ? 0 : session.SampleCount / session.SamplingRateHz;
    }

    /// <summary>The recording's description names the run, which is how a repeated start finds its own recording.</summary>
    public static string Description(ProtocolRunRequest request) => $"Protocol {request.Protocol.Id} v{request.Protocol.Version.ToString(CultureInfo.InvariantCulture)} (run {request.RunId})";

    private async Task<bool> IsOwnRecordingAsync(ProtocolRunRequest request, string? sessionId, CancellationToken cancellationToken) =>
        SessionId.TryParse(sessionId, out var id)
        && await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } session
        && session.Description == Description(request);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// Asks for the report on a run's recording — clinical for clinical care, research for research — as the run's
    /// starter, queued for the job worker (never inside the activity). A report that cannot be asked for does not fail the run.
    /// </summary>
    public async Task<ReportRequested> RequestReportAsync(ProtocolRunRequest request, ProtocolRunResult result, CancellationToken cancellationToken)
    {
        try
        {
            var type = request.Protocol.ConsentPurpose == ConsentPurposes.Research ? Reports.ReportTypes.Research : Reports.ReportTypes.Clinical;
            var view = await reports.GenerateAsync(new Reports.ReportArguments([result.SessionId!], type, null, null, result, null, 0, request.Caller.ToCaller(), Queue: true), null, cancellationToken).ConfigureAwait(false);
            return new ReportRequested(view.Job.Id, null);
        }
        catch (InvalidRequestException ex)
        {
            return new ReportRequested(null, ex.Message);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Clinical;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.Clinical.Runs;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Workflows.Protocols;

/// <summary>A run as a tool reports it: where it stands and, once finished, its result.</summary>
/// <param name="State">pending, running, completed, failed or terminated (the orchestration's state).</param>
public sealed record ProtocolRunStatus(string RunId, string State, ProtocolRunProgress? Progress, ProtocolRunResult? Result, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? Failure);

/// <summary>What run_clinical_protocol may change about a protocol for one run.</summary>
/// <param name="AppointmentId">The appointment this run records (its patient and device must match); the session is linked to it.</param>
public sealed record ProtocolRunParameters(IReadOnlyList<string>? SkipSteps, double? ImpedanceMaxKiloohms, double? MinQualityScore, string? AppointmentId = null);

/// <summary>
/// The tools' side of protocol runs: checks a request completely before anything touches a device, schedules the
/// orchestration (its instance id is the run id, so any instance can report on it), reads its state, and relays an
/// operator's stop. Only the caller who started a run (or an admin) sees or stops it; every action is audited.
/// </summary>
public sealed class ProtocolRunService(DurableTaskClient client, ProtocolCatalog protocols, ConsentService consent, SchedulingService scheduling, DeviceControlService devices, IAuditLog audit, TimeProvider time)
{
    public async Task<string> StartAsync(Caller caller, string protocolId, string patientId, string deviceId, ProtocolRunParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!caller.Has(Permissions.DevicesControl))
        {
            throw new InvalidRequestException("Running a protocol drives the amplifier: it needs devices.control as well as clinical.write.");
        }

        var protocol = protocols.Get(protocolId);
        if (!PatientPseudonym.TryParse(patientId?.Trim(), out var patient) || !caller.CanSee(patient))
        {
            throw new InvalidRequestException($"patient_id '{patientId}' must be the pseudonym (psn_…) of a patient you may see; find_patients or register_patient give it.");
        }

        var skip = (parameters.SkipSteps ?? []).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (skip.FirstOrDefault(s => protocol.Steps.All(step => step.Id != s)) is { } unknown)
        {
            throw new InvalidRequestException($"skip_steps names '{unknown}', which is not a step of {protocol.Id}; its steps are {string.Join(", ", protocol.Steps.Select(s => s.Id))}.");
        }

        if (skip.Count == protocol.Steps.Count)
        {
            throw new InvalidRequestException("skip_steps leaves no step to record.");
        }

        if (parameters.ImpedanceMaxKiloohms is { } z && !(z is > 0 and <= 100))
        {
            throw new InvalidRequestException($"impedance_max_kohm must be more than 0 and at most 100; {z.ToString(CultureInfo.InvariantCulture)} was given (the protocol's own is {protocol.Impedance?.MaxKiloohms.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
        }

        if (parameters.MinQualityScore is { } q && !(q is >= 0 and <= 100))
        {
            throw new InvalidRequestException($"min_quality_score must be 0–100; {q.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        if (parameters.AppointmentId is { } appointmentId)
        {
            var appointment = await scheduling.OwnAsync(caller, appointmentId, cancellationToken).ConfigureAwait(false);
            if (appointment.Status != Storage.Scheduling.Appointment.Booked || appointment.Patient != patient || appointment.DeviceId != deviceId?.Trim() || appointment.ProtocolId != protocol.Id)
            {
                throw new InvalidRequestException($"Appointment {appointment.Id} is {appointment.Status} for {appointment.Patient}, {appointment.ProtocolId} on {appointment.DeviceId}; the run must match it (or leave appointment_id out).");
            }
        }

        // Refused now, not minutes later in the run: unknown device, no consent.
        await devices.GetDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
        await consent.RequireAsync(patient, protocol.ConsentPurpose, cancellationToken).ConfigureAwait(false);

        var runId = "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var request = new ProtocolRunRequest(runId, protocol, patient.Value, deviceId.Trim(), RunCaller.From(caller), skip, parameters.ImpedanceMaxKiloohms, parameters.MinQualityScore, time.GetUtcNow(), parameters.AppointmentId?.Trim());
        await client.ScheduleNewOrchestrationInstanceAsync(ProtocolRunOrchestration.Name, request, new StartOrchestrationOptions(runId), cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = "clinical/protocol_run:start", Resources = [runId, protocol.Id, patient.Value, request.DeviceId], Outcome = "ok" }, CancellationToken.None).ConfigureAwait(false);
        return runId;
    }

    public async Task<ProtocolRunStatus> GetAsync(Caller caller, string runId, CancellationToken cancellationToken)
    {
        var (metadata, _) = await OwnRunAsync(caller, runId, cancellationToken).ConfigureAwait(false);
        return Status(metadata);
    }

    /// <summary>
    /// Follows a run for up to <paramref name="maxWait"/>, reporting each new phase or step; returns where it stands
    /// then (finished or not — the run goes on either way).
    /// </summary>
    public async Task<ProtocolRunStatus> FollowAsync(Caller caller, string runId, TimeSpan maxWait, IProgress<ProtocolRunProgress>? progress, CancellationToken cancellationToken)
    {
        var (metadata, id) = await OwnRunAsync(caller, runId, cancellationToken).ConfigureAwait(false);
        var deadline = time.GetUtcNow() + maxWait;
        string? last = null;
        while (true)
        {
            var status = Status(metadata);
            if (status.Progress is { } p && p.Phase + p.StepIndex != last)
            {
                last = p.Phase + p.StepIndex;
                progress?.Report(p);
            }

            if (metadata.IsCompleted || time.GetUtcNow() >= deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken).ConfigureAwait(false);
            metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Run {id} disappeared from the task hub.");
        }
    }

    /// <summary>An operator's stop: the run ends its current step, marks why and stops the recording.</summary>
    public async Task<ProtocolRunStatus> StopAsync(Caller caller, string runId, string? reason, CancellationToken cancellationToken)
    {
        var (metadata, id) = await OwnRunAsync(caller, runId, cancellationToken).ConfigureAwait(false);
        if (metadata.IsCompleted)
        {
            throw new InvalidRequestException($"Run {id} has already ended ({metadata.RuntimeStatus}); there is nothing to stop.");
        }

        var why = string.IsNullOrWhiteSpace(reason) ? "operator stop" : reason.Trim();
        if (why.Length > 60)
        {
            throw new InvalidRequestException("reason is at most 60 characters (it becomes a marker in the recording; no identifying text).");
        }

        await client.RaiseEventAsync(id, ProtocolRunOrchestration.StopEvent, why, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = "clinical/protocol_run:stop", Resources = [id], Outcome = "ok" }, CancellationToken.None).ConfigureAwait(false);
        return Status(metadata);
    }

    private async Task<(OrchestrationMetadata Metadata, string Id)> OwnRunAsync(Caller caller, string runId, CancellationToken cancellationToken)
    {
        var id = runId?.Trim() ?? "";
        var metadata = id.StartsWith("run_", StringComparison.Ordinal) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false) : null;
        var request = metadata?.ReadInputAs<ProtocolRunRequest>();
        if (metadata is null || request is null || (request.Caller.Id != caller.Id && !caller.Has(Permissions.Admin)))
        {
            throw new InvalidRequestException($"Run '{runId}' does not exist among your protocol runs; run ids look like run_… and come from run_clinical_protocol.");
        }

        return (metadata, id);
    }

    private static ProtocolRunStatus Status(OrchestrationMetadata metadata) => new(
        metadata.InstanceId,
        metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Pending => "pending",
            OrchestrationRuntimeStatus.Completed => "completed",
            OrchestrationRuntimeStatus.Failed => "failed",
            OrchestrationRuntimeStatus.Terminated => "terminated",
            _ => "running",
        },
        Read<ProtocolRunProgress>(metadata.SerializedCustomStatus),
        metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? metadata.ReadOutputAs<ProtocolRunResult>() : null,
        metadata.CreatedAt,
        metadata.LastUpdatedAt,
        metadata.FailureDetails?.ErrorMessage);

    private static T? Read<T>(string? json) where T : class => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
}

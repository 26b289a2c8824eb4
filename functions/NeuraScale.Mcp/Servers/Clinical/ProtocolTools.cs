using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.Clinical.Runs;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("A recording protocol: its steps with their recording time, instructions and markers, and its checks.")]
public sealed record ProtocolSummary(string ProtocolId, int Version, string Name, string Modality, string Purpose, string ConsentPurpose, double TotalSeconds, double? ImpedanceMaxKiloohms, IReadOnlyList<string> Steps);

[Description("The protocols there are.")]
public sealed record ProtocolList(IReadOnlyList<ProtocolSummary> Protocols);

[Description("A protocol run: where it stands, and once it has ended, its result (session, each step's outcome and QC, why it ended).")]
public sealed record ProtocolRunView(string RunId, string State, ProtocolRunProgress? Progress, ProtocolRunResult? Result, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? Failure);

/// <summary>Protocols and their runs on a device (thin façade over <see cref="ProtocolCatalog"/> and <see cref="ProtocolRunService"/>).</summary>
[McpServerToolType]
public sealed class ProtocolTools(ProtocolCatalog protocols, ProtocolRunService runs, CallerAccessor callers)
{
    [McpServerTool(Name = "list_protocols", Title = "List recording protocols", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ProtocolList))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("Lists the recording protocols run_clinical_protocol can run (e.g. routine-eeg: impedance check, eyes closed, eyes open, hyperventilation, recovery, photic stimulation; resting-state for research), with their steps, total recording time and the consent they need.")]
    public CallToolResult ListProtocols()
    {
        var list = new ProtocolList([.. protocols.List().Select(Summary)]);
        return ToolResults.Structured($"{list.Protocols.Count} protocols: {string.Join(", ", list.Protocols.Select(p => p.ProtocolId))}.", list);
    }

    [McpServerTool(Name = "get_protocol", Title = "Read a recording protocol", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ProtocolDefinition))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("Returns one protocol's full definition as data: each step's duration in seconds of recording, the instructions to read to the patient, the markers it inserts, photic stimulation frequencies, and the checks that end it early (signal quality), plus the electrode impedance stop threshold.")]
    public CallToolResult GetProtocol([Description("Protocol id from list_protocols, e.g. routine-eeg.")] string protocol_id)
    {
        var protocol = protocols.Get(protocol_id);
        return ToolResults.Structured($"Protocol {protocol.Id} v{protocol.Version}: {protocol.Steps.Count} steps, {protocol.TotalSeconds / 60:0.#} min of recording.", protocol);
    }

    [McpServerTool(Name = "run_clinical_protocol", Title = "Run a recording protocol on an amplifier", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ProtocolRunView))]
    [RequiresPermission(Permissions.ClinicalWrite, Category = RateLimitCategory.DeviceControl)]
    [Description("Runs a protocol for a patient on an amplifier, step by step, as a durable job any server instance can report on: checks consent, connects the device, measures electrode impedances (stopping above the threshold, naming the electrodes), starts the recording, then for each step inserts its markers, times it in seconds of recording and runs its signal-quality checks; a failed check or stop_protocol_run ends it early, and the recording is always stopped; then the report on the recording is requested (clinical or research, as the protocol's consent) and the result names its job (report_job_id: follow it with get_job_status). Progress is reported per step with the instructions to read to the patient. Needs devices.control too. Returns when the run ends or after wait_seconds; get_protocol_run follows it.")]
    public async Task<CallToolResult> RunClinicalProtocol(
        [Description("Protocol id from list_protocols, e.g. routine-eeg.")] string protocol_id,
        [Description("The patient's pseudonym, psn_…; their consent for the protocol's purpose must be recorded (record_consent).")] string patient_id,
        [Description("Device id from list_devices; connected or disconnected, not recording.")] string device_id,
        [Description("Step ids to leave out, e.g. [\"hyperventilation\"] when it is contraindicated.")] string[]? skip_steps = null,
        [Description("Electrode stop threshold in kΩ (more than 0, at most 100); the protocol's own by default.")] double? impedance_max_kohm = null,
        [Description("Minimum signal-quality score (0–100) for every check; the protocol's own by default.")] double? min_quality_score = null,
        [Description("The appointment this run records (apt_…, from book_appointment); its session is linked to it.")] string? appointment_id = null,
        [Description("Seconds to follow the run before returning (0–600, default 60); it goes on either way.")] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var wait = Wait(wait_seconds);
        var runId = await runs.StartAsync(callers.Current, protocol_id, patient_id, device_id, new ProtocolRunParameters(skip_steps, impedance_max_kohm, min_quality_score, appointment_id), cancellationToken).ConfigureAwait(false);
        var status = await runs.FollowAsync(callers.Current, runId, wait, Steps(progress), cancellationToken).ConfigureAwait(false);
        return Result(status);
    }

    [McpServerTool(Name = "get_protocol_run", Title = "Protocol run status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ProtocolRunView))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("Where a protocol run stands (its step, the instructions to read now, the session) and, once ended, its result; optionally follows it for wait_seconds with progress per step.")]
    public async Task<CallToolResult> GetProtocolRun(
        [Description("Run id (run_…) from run_clinical_protocol.")] string run_id,
        [Description("Seconds to follow the run, 0–600 (default 0: answer at once).")] double? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        Result(await runs.FollowAsync(callers.Current, run_id, Wait(wait_seconds ?? 0), Steps(progress), cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "stop_protocol_run", Title = "Stop a protocol run", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ProtocolRunView))]
    [RequiresPermission(Permissions.ClinicalWrite, Category = RateLimitCategory.DeviceControl)]
    [Description("Stops a protocol run now (e.g. the patient feels unwell): the current step ends, a marker with the reason goes into the recording, the recording is stopped and the result says so.")]
    public async Task<CallToolResult> StopProtocolRun(
        [Description("Run id (run_…).")] string run_id,
        [Description("Why, at most 60 characters; it becomes a marker (no identifying text).")] string? reason = null,
        CancellationToken cancellationToken = default) =>
        Result(await runs.StopAsync(callers.Current, run_id, reason, cancellationToken).ConfigureAwait(false), "Stop sent; the run is ending its current step.");

    private static ProtocolSummary Summary(ProtocolDefinition p) =>
        new(p.Id, p.Version, p.Name, p.Modality, p.Purpose, p.ConsentPurpose, p.TotalSeconds, p.Impedance?.MaxKiloohms, [.. p.Steps.Select(s => $"{s.Id} ({s.DurationSeconds:0} s)")]);

    private static TimeSpan Wait(double? seconds)
    {
        var wait = seconds ?? 60;
        return double.IsFinite(wait) && wait is >= 0 and <= 600
            ? TimeSpan.FromSeconds(wait)
            : throw new Domain.InvalidRequestException($"wait_seconds must be 0–600; {wait} was given. The run goes on either way; get_protocol_run follows it.");
    }

    private static Progress? Steps(IProgress<ProgressNotificationValue>? progress) =>
        progress is null ? null : new Progress(progress);

    private static CallToolResult Result(ProtocolRunStatus status, string? lead = null)
    {
        var view = new ProtocolRunView(status.RunId, status.State, status.Progress, status.Result, status.CreatedAt, status.LastUpdatedAt, status.Failure);
        var text = status.Result is { } r
            ? $"Run {r.RunId} {r.Status}{(r.StopReason is null ? "" : $": {r.StopReason}")}. Session {r.SessionId ?? "none"}, {r.RecordedSeconds:0} s recorded; steps: {string.Join(", ", r.Steps.Select(s => $"{s.StepId} {s.Outcome}"))}."
            : $"Run {status.RunId} is {status.State}: {status.Progress?.Message ?? "starting"}";
        return ToolResults.Structured(lead is null ? text : $"{lead} {text}", view);
    }

    /// <summary>Each step or phase as one MCP progress notification: counted steps, the protocol's step count as total.</summary>
    private sealed class Progress(IProgress<ProgressNotificationValue> progress) : IProgress<ProtocolRunProgress>
    {
        public void Report(ProtocolRunProgress value) =>
            progress.Report(new ProgressNotificationValue { Progress = Math.Max(0, value.StepIndex + 1), Total = value.StepCount, Message = value.Message });
    }
}

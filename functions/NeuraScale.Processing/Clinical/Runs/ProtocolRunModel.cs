using NeuraScale.Domain;
using NeuraScale.Domain.Access;

namespace NeuraScale.Processing.Clinical.Runs;

/// <summary>Who started a run, as the run's activities act on their behalf (their rights at the start of the run).</summary>
public sealed record RunCaller(string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, IReadOnlyList<string>? PatientScope)
{
    public static RunCaller From(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.Id, caller.Name, [.. caller.Roles], [.. caller.Permissions], caller.PatientScope?.Select(p => p.Value).ToList());
    }

    public Caller ToCaller() => new(Id, Name, Roles.ToHashSet(), Permissions.ToHashSet(), PatientScope?.Select(PatientPseudonym.Parse).ToHashSet());
}

/// <summary>What run_clinical_protocol was asked, checked: the orchestration's input.</summary>
/// <param name="RunId">Also the orchestration's instance id (run_…).</param>
/// <param name="SkipSteps">Steps left out (e.g. hyperventilation when contraindicated), by id.</param>
/// <param name="ImpedanceMaxKiloohms">The electrode stop threshold (the protocol's unless overridden).</param>
/// <param name="MinQualityScore">Overrides every signal-quality check's minimum, when given.</param>
/// <param name="Protocol">The definition as it was when the run began (a run never changes under a new version).</param>
public sealed record ProtocolRunRequest(
    string RunId,
    Protocols.ProtocolDefinition Protocol,
    string PatientId,
    string DeviceId,
    RunCaller Caller,
    IReadOnlyList<string> SkipSteps,
    double? ImpedanceMaxKiloohms,
    double? MinQualityScore,
    DateTimeOffset RequestedAt,
    string? AppointmentId = null);

/// <summary>How a step went.</summary>
/// <param name="Outcome">completed, stopped (a check failed or the operator stopped it), skipped, or not_run.</param>
/// <param name="StartSeconds">Where its start marker is in the recording, s.</param>
/// <param name="QualityScores">The signal-quality checks' scores, in order.</param>
public sealed record StepResult(string StepId, string Name, string Outcome, double? StartSeconds, double? EndSeconds, IReadOnlyList<double> QualityScores, string? Problem);

/// <summary>A run's result: its session, how each step went and why it ended.</summary>
/// <param name="Status">completed, stopped_early, refused (nothing was recorded) or failed.</param>
/// <param name="ReportJobId">The report job requested for the recording when the run ended (generate_report's job; get_job_status follows it).</param>
/// <param name="ReportProblem">Why no report was requested, when one could not be.</param>
public sealed record ProtocolRunResult(
    string RunId,
    string ProtocolId,
    string PatientId,
    string DeviceId,
    string Status,
    string? SessionId,
    IReadOnlyList<ImpedanceReading> Impedances,
    IReadOnlyList<StepResult> Steps,
    string? StopReason,
    double RecordedSeconds,
    string? ImpedanceNote = null,
    string? ReportJobId = null,
    string? ReportProblem = null);

public sealed record ImpedanceReading(string Channel, double Kiloohms);

/// <summary>Where a run stands, as any instance reports it (the orchestration's custom status).</summary>
public sealed record ProtocolRunProgress(string Phase, int StepIndex, int StepCount, string? StepId, string? StepName, string? Instructions, string? SessionId, double? RecordedSeconds, string Message);

/// <summary>The outcome of one activity that can refuse for a reason the run reports (not an error).</summary>
public sealed record ActivityOutcome(bool Ok, string? Problem)
{
    public static readonly ActivityOutcome Success = new(true, null);

    public static ActivityOutcome Refused(string problem) => new(false, problem);
}

public sealed record ImpedanceOutcome(bool Ok, string? Problem, IReadOnlyList<ImpedanceReading> Readings);

public sealed record RecordingStarted(bool Ok, string? Problem, string? SessionId);

public sealed record MarkerPlaced(double Seconds);

public sealed record RecordingReached(bool Ok, string? Problem, double Seconds);

/// <summary>The report requested for a run's recording, or why none could be.</summary>
public sealed record ReportRequested(string? JobId, string? Problem);

public sealed record QualityChecked(double Score, string Rating, IReadOnlyList<string> Recommendations);

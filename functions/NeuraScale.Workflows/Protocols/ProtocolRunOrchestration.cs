using System.Globalization;
using Microsoft.DurableTask;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.Clinical.Runs;

namespace NeuraScale.Workflows.Protocols;

/// <summary>
/// A protocol run as a durable orchestration (docs/clinical.md#running-a-protocol): consent, device, electrodes, then
/// the recording with each step's markers, timed in seconds of recording, its checks, and an operator's stop racing
/// every wait; whatever ends the run, a recording it started is stopped (compensation). Deterministic by construction:
/// every effect is an activity, every wait an activity or an event, the protocol itself part of the input.
/// </summary>
[DurableTask(Name)]
public sealed class ProtocolRunOrchestration : TaskOrchestrator<ProtocolRunRequest, ProtocolRunResult>
{
    public const string Name = "ProtocolRun";

    /// <summary>The external event an operator's stop raises (stop_protocol_run).</summary>
    public const string StopEvent = "operator-stop";

    /// <summary>Wall time one wait activity may take before the orchestration checkpoints and waits again.</summary>
    public static readonly TimeSpan WaitSlice = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2)));

    public override async Task<ProtocolRunResult> RunAsync(TaskOrchestrationContext context, ProtocolRunRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    /// <summary>One run's state while the orchestration replays it.</summary>
    private sealed class Run(TaskOrchestrationContext context, ProtocolRunRequest request)
    {
        private readonly ProtocolDefinition _protocol = request.Protocol;
        private readonly List<StepResult> _steps = [];
        private readonly Task<string> _stop = context.WaitForExternalEvent<string>(StopEvent);
        private IReadOnlyList<ImpedanceReading> _impedances = [];
        private string? _impedanceNote;
        private string? _session;

        public async Task<ProtocolRunResult> ExecuteAsync()
        {
            Report("checking", -1, null, $"Checking consent and device {request.DeviceId}.");
            var consent = await context.CallActivityAsync<ActivityOutcome>(ProtocolActivities.CheckConsent, request, Retry);
            if (!consent.Ok)
            {
                return Finish("refused", consent.Problem, 0);
            }

            var device = await context.CallActivityAsync<ActivityOutcome>(ProtocolActivities.PrepareDevice, request, Retry);
            if (!device.Ok)
            {
                return Finish("refused", device.Problem, 0);
            }

            if (_protocol.Impedance is { } impedance)
            {
                var threshold = request.ImpedanceMaxKiloohms ?? impedance.MaxKiloohms;
                Report("impedance", -1, null, $"Measuring electrode impedances (stop above {threshold.ToString("0.#", CultureInfo.InvariantCulture)} kΩ).");
                var measured = await context.CallActivityAsync<ImpedanceOutcome>(ProtocolActivities.MeasureImpedance, new ImpedanceRequest(request, threshold), Retry);
                _impedances = measured.Readings;
                _impedanceNote = measured.Ok ? measured.Problem : null;
                if (!measured.Ok)
                {
                    return Finish("refused", $"{measured.Problem} {impedance.Instructions}".Trim(), 0);
                }
            }

            if (_stop.IsCompleted)
            {
                return Finish("refused", $"stopped by the operator ({_stop.Result}) before the recording began", 0);
            }

            var started = await context.CallActivityAsync<RecordingStarted>(ProtocolActivities.StartRecording, new StartRequest(request, PlannedSeconds()), Retry);
            if (!started.Ok)
            {
                return Finish("refused", started.Problem, 0);
            }

            _session = started.SessionId;
            if (request.AppointmentId is not null)
            {
                await context.CallActivityAsync<ActivityOutcome>(ProtocolActivities.LinkAppointment, new StopRequest(request, _session!), Retry);
            }
            string? stopReason = null;
            try
            {
                stopReason = await RunStepsAsync();
            }
            catch (TaskFailedException ex)
            {
                stopReason = $"A step failed: {ex.FailureDetails.ErrorMessage}";
            }

            // Compensation and the normal end alike: the recording this run started is stopped.
            if (stopReason is not null)
            {
                await TryMarkAsync(Truncate($"Protocol stopped: {stopReason}"));
            }

            Report("stopping", _steps.Count, null, "Stopping the recording.");
            var recorded = await context.CallActivityAsync<double>(ProtocolActivities.StopRecording, new StopRequest(request, _session!), Retry);
            var result = Finish(stopReason is null ? "completed" : "stopped_early", stopReason, recorded);
            if (recorded <= 0)
            {
                return result;
            }

            // The report on what was recorded is asked for at once (queued for the job worker); the result names it.
            var report = await context.CallActivityAsync<ReportRequested>(ProtocolActivities.RequestReport, new ReportRequest(request, result), Retry);
            return result with { ReportJobId = report.JobId, ReportProblem = report.Problem };
        }

        /// <summary>The steps in order; returns why the run stopped early, or null.</summary>
        private async Task<string?> RunStepsAsync()
        {
            var steps = _protocol.Steps;
            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                if (request.SkipSteps.Contains(step.Id))
                {
                    _steps.Add(new StepResult(step.Id, step.Name, "skipped", null, null, [], null));
                    continue;
                }

                Report("step", i, step, $"Step {i + 1} of {steps.Count}: {step.Name}. Read to the patient: \"{step.Instructions}\"");
                var start = (await context.CallActivityAsync<MarkerPlaced>(ProtocolActivities.Mark, new MarkRequest(request, step.StartMarker), Retry)).Seconds;
                var scores = new List<double>();
                foreach (var (offset, action) in Timeline(step))
                {
                    var problem = await WaitForAsync(start + offset) ?? await action(scores);
                    if (problem is not null)
                    {
                        _steps.Add(new StepResult(step.Id, step.Name, "stopped", start, null, scores, problem));
                        NotRun(i + 1);
                        return $"{step.Name}: {problem}";
                    }
                }

                var ended = await WaitForAsync(start + step.DurationSeconds);
                if (ended is not null)
                {
                    _steps.Add(new StepResult(step.Id, step.Name, "stopped", start, null, scores, ended));
                    NotRun(i + 1);
                    return $"{step.Name}: {ended}";
                }

                double end = start + step.DurationSeconds;
                if (step.EndMarker is { } endMarker)
                {
                    end = (await context.CallActivityAsync<MarkerPlaced>(ProtocolActivities.Mark, new MarkRequest(request, endMarker), Retry)).Seconds;
                }

                _steps.Add(new StepResult(step.Id, step.Name, "completed", start, end, scores, null));
            }

            return null;
        }

        /// <summary>What happens within a step, by seconds from its start: photic trains (a marker each) and quality checks.</summary>
        private IEnumerable<(double Offset, Func<List<double>, Task<string?>> Action)> Timeline(ProtocolStep step)
        {
            var items = new List<(double, Func<List<double>, Task<string?>>)>();
            if (step.Photic is { } photic)
            {
                for (var k = 0; k < photic.FrequenciesHz.Count; k++)
                {
                    var label = $"Photic {photic.FrequenciesHz[k].ToString("0.#", CultureInfo.InvariantCulture)} Hz";
                    items.Add((k * (photic.TrainSeconds + photic.RestSeconds), async _ =>
                    {
                        await context.CallActivityAsync<MarkerPlaced>(ProtocolActivities.Mark, new MarkRequest(request, label), Retry);
                        return null;
                    }));
                }
            }

            foreach (var check in step.Checks)
            {
                var minimum = request.MinQualityScore ?? check.MinScore;
                items.Add((check.AfterSeconds, async scores =>
                {
                    var quality = await context.CallActivityAsync<QualityChecked>(ProtocolActivities.CheckQuality, new QualityRequest(request, check.WindowSeconds), Retry);
                    scores.Add(quality.Score);
                    return quality.Score >= minimum
                        ? null
                        : $"signal quality {quality.Score.ToString("0", CultureInfo.InvariantCulture)} is below the step's minimum {minimum.ToString("0", CultureInfo.InvariantCulture)} ({quality.Rating}). {string.Join(" ", quality.Recommendations)}".Trim();
                }));
            }

            return items.OrderBy(i => i.Item1);
        }

        /// <summary>Waits until the recording holds <paramref name="seconds"/>; the operator's stop or the recording ending interrupts it.</summary>
        private async Task<string?> WaitForAsync(double seconds)
        {
            while (true)
            {
                var wait = context.CallActivityAsync<RecordingReached>(ProtocolActivities.WaitForRecording, new WaitRequest(_session!, seconds, WaitSlice.TotalSeconds), Retry);
                if (await Task.WhenAny(wait, _stop) == _stop)
                {
                    return $"stopped by the operator ({_stop.Result})";
                }

                var reached = await wait;
                if (!reached.Ok)
                {
                    return reached.Problem;
                }

                if (reached.Seconds >= seconds)
                {
                    return null;
                }
            }
        }

        private async Task TryMarkAsync(string label)
        {
            try
            {
                await context.CallActivityAsync<MarkerPlaced>(ProtocolActivities.Mark, new MarkRequest(request, label));
            }
            catch (TaskFailedException)
            {
                // The recording may already have ended; the result says why the run stopped either way.
            }
        }

        private void NotRun(int from)
        {
            foreach (var step in _protocol.Steps.Skip(from))
            {
                _steps.Add(new StepResult(step.Id, step.Name, request.SkipSteps.Contains(step.Id) ? "skipped" : "not_run", null, null, [], null));
            }
        }

        private double PlannedSeconds() => _protocol.Steps.Where(s => !request.SkipSteps.Contains(s.Id)).Sum(s => s.DurationSeconds);

        private void Report(string phase, int index, ProtocolStep? step, string message) =>
            context.SetCustomStatus(new ProtocolRunProgress(phase, index, _protocol.Steps.Count, step?.Id, step?.Name, step?.Instructions, _session, null, message));

        private ProtocolRunResult Finish(string status, string? reason, double recorded)
        {
            if (_session is null)
            {
                NotRun(_steps.Count);
            }

            context.SetCustomStatus(new ProtocolRunProgress(status, _steps.Count, _protocol.Steps.Count, null, null, null, _session, recorded, reason ?? "The protocol completed."));
            return new ProtocolRunResult(request.RunId, _protocol.Id, request.PatientId, request.DeviceId, status, _session, _impedances, _steps, reason, recorded, _impedanceNote);
        }

        private static string Truncate(string label) => label.Length <= 100 ? label : label[..97] + "...";
    }
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using NeuraScale.Processing.Clinical.Runs;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Jobs;

/// <summary>
/// Protocol runs under Durable Functions in Azure: the orchestrator and activity functions, named as the local Durable
/// Task runtime names them, each a one-line hand-over to the same orchestration class and the same
/// <see cref="ProtocolRunSteps"/> (docs/clinical.md#orchestration-what-runs-it-and-why). The MCP server schedules runs
/// into this app's task hub and reads their state from it.
/// </summary>
public sealed class ProtocolRunFunctions(ProtocolRunSteps steps)
{
    [Function(ProtocolRunOrchestration.Name)]
    public static Task<ProtocolRunResult> RunProtocol([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProtocolRunOrchestration().RunAsync(context, (context ?? throw new ArgumentNullException(nameof(context))).GetInput<ProtocolRunRequest>()!);

    [Function(ProtocolActivities.CheckConsent)]
    public Task<ActivityOutcome> CheckConsent([ActivityTrigger] ProtocolRunRequest input) => steps.CheckConsentAsync(input, CancellationToken.None);

    [Function(ProtocolActivities.PrepareDevice)]
    public Task<ActivityOutcome> PrepareDevice([ActivityTrigger] ProtocolRunRequest input) => steps.PrepareDeviceAsync(input, CancellationToken.None);

    [Function(ProtocolActivities.MeasureImpedance)]
    public Task<ImpedanceOutcome> MeasureImpedance([ActivityTrigger] ImpedanceRequest input) => steps.MeasureImpedanceAsync(input.Run, input.MaxKiloohms, CancellationToken.None);

    [Function(ProtocolActivities.StartRecording)]
    public Task<RecordingStarted> StartRecording([ActivityTrigger] StartRequest input) => steps.StartRecordingAsync(input.Run, input.PlannedSeconds, CancellationToken.None);

    [Function(ProtocolActivities.LinkAppointment)]
    public Task<ActivityOutcome> LinkAppointment([ActivityTrigger] StopRequest input) => steps.LinkAppointmentAsync(input.Run, input.SessionId, CancellationToken.None);

    [Function(ProtocolActivities.RequestReport)]
    public Task<ReportRequested> RequestReport([ActivityTrigger] ReportRequest input) => steps.RequestReportAsync(input.Run, input.Result, CancellationToken.None);

    [Function(ProtocolActivities.Mark)]
    public Task<MarkerPlaced> Mark([ActivityTrigger] MarkRequest input) => steps.MarkAsync(input.Run, input.Label, CancellationToken.None);

    [Function(ProtocolActivities.WaitForRecording)]
    public Task<RecordingReached> WaitForRecording([ActivityTrigger] WaitRequest input) =>
        steps.WaitForRecordingAsync(input.SessionId, input.Seconds, TimeSpan.FromSeconds(input.MaxWaitSeconds), CancellationToken.None);

    [Function(ProtocolActivities.CheckQuality)]
    public Task<QualityChecked> CheckQuality([ActivityTrigger] QualityRequest input) => steps.CheckQualityAsync(input.Run, input.WindowSeconds, CancellationToken.None);

    [Function(ProtocolActivities.StopRecording)]
    public Task<double> StopRecording([ActivityTrigger] StopRequest input) => steps.StopRecordingAsync(input.Run, input.SessionId, CancellationToken.None);
}

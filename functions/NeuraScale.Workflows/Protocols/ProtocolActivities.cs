using Microsoft.DurableTask;
using NeuraScale.Processing.Clinical.Runs;

namespace NeuraScale.Workflows.Protocols;

public sealed record ImpedanceRequest(ProtocolRunRequest Run, double MaxKiloohms);

public sealed record StartRequest(ProtocolRunRequest Run, double PlannedSeconds);

public sealed record MarkRequest(ProtocolRunRequest Run, string Label);

public sealed record WaitRequest(string SessionId, double Seconds, double MaxWaitSeconds);

public sealed record QualityRequest(ProtocolRunRequest Run, double WindowSeconds);

public sealed record StopRequest(ProtocolRunRequest Run, string SessionId);

public sealed record ReportRequest(ProtocolRunRequest Run, ProtocolRunResult Result);

/// <summary>
/// The protocol run's activities: one thin class each over <see cref="ProtocolRunSteps"/>, named so Durable Functions
/// (the jobs app's [ActivityTrigger] functions of the same names) and the local runtime call the same work.
/// </summary>
public static class ProtocolActivities
{
    public const string CheckConsent = "ProtocolCheckConsent", PrepareDevice = "ProtocolPrepareDevice", MeasureImpedance = "ProtocolMeasureImpedance",
        StartRecording = "ProtocolStartRecording", Mark = "ProtocolMark", WaitForRecording = "ProtocolWaitForRecording",
        CheckQuality = "ProtocolCheckQuality", StopRecording = "ProtocolStopRecording", LinkAppointment = "ProtocolLinkAppointment", RequestReport = "ProtocolRequestReport";

    /// <summary>Registers the orchestration and its activities with a Durable Task worker.</summary>
    public static void AddProtocolRuns(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<ProtocolRunOrchestration>();
        registry.AddActivity<CheckConsentActivity>();
        registry.AddActivity<PrepareDeviceActivity>();
        registry.AddActivity<MeasureImpedanceActivity>();
        registry.AddActivity<StartRecordingActivity>();
        registry.AddActivity<MarkActivity>();
        registry.AddActivity<WaitForRecordingActivity>();
        registry.AddActivity<CheckQualityActivity>();
        registry.AddActivity<StopRecordingActivity>();
        registry.AddActivity<LinkAppointmentActivity>();
        registry.AddActivity<RequestReportActivity>();
    }
}

[DurableTask(ProtocolActivities.CheckConsent)]
public sealed class CheckConsentActivity(ProtocolRunSteps steps) : TaskActivity<ProtocolRunRequest, ActivityOutcome>
{
    public override Task<ActivityOutcome> RunAsync(TaskActivityContext context, ProtocolRunRequest input) => steps.CheckConsentAsync(input, CancellationToken.None);
}

[DurableTask(ProtocolActivities.PrepareDevice)]
public sealed class PrepareDeviceActivity(ProtocolRunSteps steps) : TaskActivity<ProtocolRunRequest, ActivityOutcome>
{
    public override Task<ActivityOutcome> RunAsync(TaskActivityContext context, ProtocolRunRequest input) => steps.PrepareDeviceAsync(input, CancellationToken.None);
}

[DurableTask(ProtocolActivities.MeasureImpedance)]
public sealed class MeasureImpedanceActivity(ProtocolRunSteps steps) : TaskActivity<ImpedanceRequest, ImpedanceOutcome>
{
    public override Task<ImpedanceOutcome> RunAsync(TaskActivityContext context, ImpedanceRequest input) => steps.MeasureImpedanceAsync(input.Run, input.MaxKiloohms, CancellationToken.None);
}

[DurableTask(ProtocolActivities.StartRecording)]
public sealed class StartRecordingActivity(ProtocolRunSteps steps) : TaskActivity<StartRequest, RecordingStarted>
{
    public override Task<RecordingStarted> RunAsync(TaskActivityContext context, StartRequest input) => steps.StartRecordingAsync(input.Run, input.PlannedSeconds, CancellationToken.None);
}

[DurableTask(ProtocolActivities.Mark)]
public sealed class MarkActivity(ProtocolRunSteps steps) : TaskActivity<MarkRequest, MarkerPlaced>
{
    public override Task<MarkerPlaced> RunAsync(TaskActivityContext context, MarkRequest input) => steps.MarkAsync(input.Run, input.Label, CancellationToken.None);
}

[DurableTask(ProtocolActivities.WaitForRecording)]
public sealed class WaitForRecordingActivity(ProtocolRunSteps steps) : TaskActivity<WaitRequest, RecordingReached>
{
    public override Task<RecordingReached> RunAsync(TaskActivityContext context, WaitRequest input) => steps.WaitForRecordingAsync(input.SessionId, input.Seconds, TimeSpan.FromSeconds(input.MaxWaitSeconds), CancellationToken.None);
}

[DurableTask(ProtocolActivities.CheckQuality)]
public sealed class CheckQualityActivity(ProtocolRunSteps steps) : TaskActivity<QualityRequest, QualityChecked>
{
    public override Task<QualityChecked> RunAsync(TaskActivityContext context, QualityRequest input) => steps.CheckQualityAsync(input.Run, input.WindowSeconds, CancellationToken.None);
}

[DurableTask(ProtocolActivities.StopRecording)]
public sealed class StopRecordingActivity(ProtocolRunSteps steps) : TaskActivity<StopRequest, double>
{
    public override Task<double> RunAsync(TaskActivityContext context, StopRequest input) => steps.StopRecordingAsync(input.Run, input.SessionId, CancellationToken.None);
}

[DurableTask(ProtocolActivities.LinkAppointment)]
public sealed class LinkAppointmentActivity(ProtocolRunSteps steps) : TaskActivity<StopRequest, ActivityOutcome>
{
    public override Task<ActivityOutcome> RunAsync(TaskActivityContext context, StopRequest input) => steps.LinkAppointmentAsync(input.Run, input.SessionId, CancellationToken.None);
}

[DurableTask(ProtocolActivities.RequestReport)]
public sealed class RequestReportActivity(ProtocolRunSteps steps) : TaskActivity<ReportRequest, ReportRequested>
{
    public override Task<ReportRequested> RunAsync(TaskActivityContext context, ReportRequest input) => steps.RequestReportAsync(input.Run, input.Result, CancellationToken.None);
}

using Microsoft.Azure.Functions.Worker;
using NeuraScale.Processing.Jobs;

namespace NeuraScale.Jobs;

/// <summary>Daily at 03:30 UTC: deletes job records finished more than <c>Jobs:KeepFinishedJobs</c> ago (a thin class over the service).</summary>
public sealed class HousekeepingFunction(JobHousekeeping housekeeping)
{
    [Function("SweepJobs")]
    public Task RunAsync([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        housekeeping.SweepAsync(cancellationToken);
}

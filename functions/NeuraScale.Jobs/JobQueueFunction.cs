using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using NeuraScale.Processing.Jobs;

namespace NeuraScale.Jobs;

/// <summary>
/// Runs queued jobs: binds the message, hands it to <see cref="JobRunner"/> (which records the outcome, re-queues a
/// retry with back-off or parks the job in the poison queue with its reason), returns. The queue name is the default
/// of <c>Storage:JobsQueue</c>; the connection is identity-based (<c>JobsQueue__queueServiceUri</c>).
/// </summary>
public sealed class JobQueueFunction(JobRunner runner)
{
    [Function("RunJob")]
    public Task RunAsync([QueueTrigger("jobs", Connection = "JobsQueue")] QueueMessage message, CancellationToken cancellationToken) =>
        runner.HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
}

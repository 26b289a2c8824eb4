using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>
/// Runs queued jobs in this process — what the Functions Queue trigger does in Azure, for the local stack and the tests:
/// takes one message at a time (invisible to others meanwhile), hands it to <see cref="JobRunner"/>, deletes it when
/// the runner is done. A message whose handling throws stays, and is delivered again after its visibility timeout.
/// </summary>
public sealed partial class JobQueueListener(JobQueues queue, JobRunner runner, IOptions<JobOptions> options, TimeProvider time, ILogger<JobQueueListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var message = await queue.ReceiveAsync(settings.VisibilityTimeout, stoppingToken).ConfigureAwait(false);
                if (message is null)
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await runner.HandleAsync(message.Body, message.DequeueCount, stoppingToken).ConfigureAwait(false);
                await queue.CompleteAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
            {
                LogQueueError(logger, ex);
                await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never let one message stop the host (and the MCP server beside it): the message stays, is delivered
                // again after its visibility timeout, and is parked by the runner after Jobs:MaxDeliveries attempts.
                LogHandlingError(logger, ex);
                await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A job message could not be handled; it will be delivered again.")]
    private static partial void LogHandlingError(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The jobs queue could not be read; trying again.")]
    private static partial void LogQueueError(ILogger logger, Exception ex);
}

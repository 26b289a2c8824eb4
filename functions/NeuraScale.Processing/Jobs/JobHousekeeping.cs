using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.RateLimits;

namespace NeuraScale.Processing.Jobs;

/// <summary>
/// Deletes job records finished longer ago than <see cref="JobOptions.KeepFinishedJobs"/>, and rate-limit counters not
/// written for a day (a counter matters for two windows, at most two hours), so neither table grows for ever.
/// </summary>
public sealed partial class JobHousekeeping(JobStore store, RateCounterTable rateCounters, IOptions<JobOptions> options, TimeProvider time, ILogger<JobHousekeeping> logger)
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deleted = await store.DeleteFinishedBeforeAsync(now - options.Value.KeepFinishedJobs, cancellationToken).ConfigureAwait(false);
        var counters = await rateCounters.DeleteOlderThanAsync(now - TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
        LogSwept(logger, deleted, counters);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping deleted {Count} finished job record(s) and {Counters} stale rate-limit counter(s).")]
    private static partial void LogSwept(ILogger logger, int count, int counters);
}

/// <summary>The in-process schedule of <see cref="JobHousekeeping"/> (local stack, tests); the Function app has a timer trigger.</summary>
public sealed partial class JobHousekeepingService(JobHousekeeping housekeeping, IOptions<JobOptions> options, TimeProvider time, ILogger<JobHousekeepingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await housekeeping.SweepAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Value.HousekeepingInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
            {
                LogFailed(logger, ex);
                await Task.Delay(options.Value.HousekeepingInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job housekeeping failed; trying again at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

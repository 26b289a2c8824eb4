using NeuraScale.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>
/// The job service: runs one attempt of a job and records what came of it. While the job runs, a check every
/// <see cref="JobOptions.CheckInterval"/> saves its progress and looks for a cancellation request (from any instance).
/// A failure is retried with exponential back-off by queueing the next attempt with a visibility delay; a job that
/// cannot succeed, or fails <see cref="JobOptions.MaxAttempts"/> times, is marked failed with its reason and parked in
/// the poison queue. The Functions Queue trigger and the in-process worker both call <see cref="HandleAsync"/>.
/// </summary>
public sealed partial class JobRunner(JobStore store, JobQueues queue, IEnumerable<IJobHandler> handlers, IOptions<JobOptions> options, TimeProvider time, ILogger<JobRunner> logger)
{
    /// <summary>Spans of job attempts (exported with every <c>NeuraScale.*</c> source by the service defaults).</summary>
    public const string TelemetrySource = "NeuraScale.Jobs";

    private static readonly System.Diagnostics.ActivitySource Telemetry = new(TelemetrySource);

    private readonly JobOptions _options = options.Value;

    /// <summary>Handles one queue message; <paramref name="deliveries"/> is the queue's dequeue count.</summary>
    public async Task HandleAsync(string body, long deliveries, CancellationToken cancellationToken)
    {
        var message = JobQueues.Parse(body);
        if (message is null)
        {
            LogUnreadable(logger);
            await queue.PoisonAsync(new PoisonedJob("unknown", "unknown", 0, "The message is not a job message (expected {\"job_id\":…,\"attempt\":…}).", time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (deliveries > _options.MaxDeliveries)
        {
            var job = await store.GetAsync(message.JobId, cancellationToken).ConfigureAwait(false);
            if (job is { IsFinished: false })
            {
                await FailAsync(job, job.Attempts, $"Delivered {deliveries} times without finishing: the worker stopped (crashed or timed out) during every attempt.", retry: false, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await RunAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one attempt. Returns when the attempt succeeded, failed (and was re-queued or parked) or was cancelled by
    /// request. If <paramref name="cancellationToken"/> fires (the host is stopping) the attempt ends with
    /// <see cref="OperationCanceledException"/> and the job stays as it was, for the queue to deliver again; with
    /// <paramref name="inline"/> (run inside a tool call, not from the queue) it is marked cancelled instead.
    /// </summary>
    public async Task RunAsync(JobMessage message, CancellationToken cancellationToken, bool inline = false, IProgress<double>? observer = null)
    {
        var job = await store.GetAsync(message.JobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            LogMissing(logger, message.JobId);
            return;
        }

        if (job.IsFinished)
        {
            return; // a duplicate delivery of a job already done
        }

        if (job.CancelRequested)
        {
            await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Cancelled, Message = "Cancelled before it started.", CompletedAt = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var handler = handlers.FirstOrDefault(h => h.Kind == job.Kind);
        if (handler is null)
        {
            await FailAsync(job, job.Attempts, $"No handler for jobs of kind '{job.Kind}'.", retry: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        var attempt = job.Attempts + 1;
        // One span per attempt: kind, id and attempt only (a job's request can name a patient; it stays out).
        using var span = Telemetry.StartActivity("job " + job.Kind, System.Diagnostics.ActivityKind.Internal);
        span?.SetTag("neurascale.job.kind", job.Kind);
        span?.SetTag("neurascale.job.id", job.Id);
        span?.SetTag("neurascale.job.attempt", attempt);
        await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Running, Attempts = attempt, Message = $"Attempt {attempt} of {_options.MaxAttempts} running." }, cancellationToken).ConfigureAwait(false);
        LogStarted(logger, job.Id, job.Kind, attempt);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new LatestProgress(observer);
        var check = CheckAsync(job.Id, progress, run);
        try
        {
            var result = await handler.RunAsync(job with { Attempts = attempt }, progress, run.Token).ConfigureAwait(false);
            await run.CancelAsync().ConfigureAwait(false);
            await check.ConfigureAwait(false);
            await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Succeeded, Progress = 1, Result = result, Message = "Done.", CompletedAt = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            LogSucceeded(logger, job.Id, attempt);
            span?.SetTag("neurascale.job.outcome", "succeeded");
        }
        catch (OperationCanceledException) when (progress.CancelledByRequest)
        {
            await check.ConfigureAwait(false);
            await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Cancelled, Message = "Cancelled on request; no file was kept.", CompletedAt = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            LogCancelled(logger, job.Id);
            span?.SetTag("neurascale.job.outcome", "cancelled");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopCheckAsync(run, check).ConfigureAwait(false);
            if (inline)
            {
                await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Cancelled, Message = "The request running it was cancelled; ask again to start it afresh.", CompletedAt = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
        catch (InvalidRequestException ex)
        {
            await StopCheckAsync(run, check).ConfigureAwait(false);
            await FailAsync(job, attempt, ex.Message, retry: false, CancellationToken.None).ConfigureAwait(false);
            span?.SetTag("neurascale.job.outcome", "refused");
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "invalid request");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await StopCheckAsync(run, check).ConfigureAwait(false);
            LogAttemptFailed(logger, ex, job.Id, attempt);
            await FailAsync(job, attempt, Reason(ex), retry: attempt < _options.MaxAttempts, CancellationToken.None).ConfigureAwait(false);
            span?.SetTag("neurascale.job.outcome", "failed");
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
        }
    }

    private async Task FailAsync(JobRecord job, int attempt, string reason, bool retry, CancellationToken cancellationToken)
    {
        if (retry)
        {
            var delay = _options.RetryDelay(attempt + 1);
            await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Retrying, Message = FormattableString.Invariant($"Attempt {attempt} failed ({reason}); attempt {attempt + 1} of {_options.MaxAttempts} starts in {delay.TotalSeconds:0.#} s.") }, cancellationToken).ConfigureAwait(false);
            await queue.EnqueueAsync(new JobMessage(job.Id, attempt + 1), delay, cancellationToken).ConfigureAwait(false);
            return;
        }

        var message = attempt > 1 ? $"Failed after {attempt} attempts: {reason}" : $"Failed: {reason}";
        await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Failed, Message = message, CompletedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await queue.PoisonAsync(new PoisonedJob(job.Id, job.Kind, attempt, reason, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogParked(logger, job.Id, attempt);
    }

    /// <summary>Saves progress and watches for a cancellation request until the run ends; true when it cancelled the run.</summary>
    private async Task<bool> CheckAsync(string jobId, LatestProgress progress, CancellationTokenSource run)
    {
        var saved = -1.0;
        try
        {
            while (true)
            {
                await Task.Delay(_options.CheckInterval, time, run.Token).ConfigureAwait(false);
                var value = progress.Value;
                if (value > saved)
                {
                    await store.UpdateAsync(jobId, new JobUpdate { Progress = value }, run.Token).ConfigureAwait(false);
                    saved = value;
                }

                var job = await store.GetAsync(jobId, run.Token).ConfigureAwait(false);
                if (job?.CancelRequested == true)
                {
                    progress.CancelledByRequest = true;
                    await run.CancelAsync().ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
        {
            // Progress is best effort; the job itself decides success or failure.
            LogCheckFailed(logger, ex, jobId);
            return false;
        }
    }

    private static async Task StopCheckAsync(CancellationTokenSource run, Task<bool> check)
    {
        await run.CancelAsync().ConfigureAwait(false);
        await check.ConfigureAwait(false);
    }

    /// <summary>A failure reason for people and the poison queue: the exception's kind and first line, bounded.</summary>
    private static string Reason(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}";
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    /// <summary>Keeps the latest progress for the periodic save, and passes every report on to an observer (a tool call's progress).</summary>
    private sealed class LatestProgress(IProgress<double>? observer) : IProgress<double>
    {
        private double _value;
        private volatile bool _cancelledByRequest;

        /// <summary>Set before the periodic check cancels the run because someone asked.</summary>
        public bool CancelledByRequest
        {
            get => _cancelledByRequest;
            set => _cancelledByRequest = value;
        }

        public double Value => Volatile.Read(ref _value);

        public void Report(double value)
        {
            Volatile.Write(ref _value, value);
            observer?.Report(value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A jobs-queue message was not a job message; parked in the poison queue.")]
    private static partial void LogUnreadable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of a queue message does not exist; message dropped.")]
    private static partial void LogMissing(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) attempt {Attempt} started.")]
    private static partial void LogStarted(ILogger logger, string jobId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} succeeded on attempt {Attempt}.")]
    private static partial void LogSucceeded(ILogger logger, string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} cancelled on request.")]
    private static partial void LogCancelled(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} failed.")]
    private static partial void LogAttemptFailed(ILogger logger, Exception ex, string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed for good after {Attempts} attempt(s); parked in the poison queue.")]
    private static partial void LogParked(ILogger logger, string jobId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving progress of job {JobId} failed.")]
    private static partial void LogCheckFailed(ILogger logger, Exception ex, string jobId);
}

using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.Jobs;

/// <summary>How jobs are run and retried. Section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>
    /// Run queued jobs in this process (the local stack and tests). Off in Azure, where the isolated-worker Function app's
    /// Queue trigger runs them.
    /// </summary>
    public bool RunInProcess { get; set; }

    /// <summary>Attempts before a failing job is parked in the poison queue.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Delay before the second attempt; each further attempt waits twice as long (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a running job saves its progress and looks for a cancellation request.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the in-process worker looks at an empty queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a message the in-process worker took stays invisible to others (longer than any job runs).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Deliveries of one message before it is treated as poison (a worker died on it each time).</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long finished job records are kept (their export files go after 8 days; the record says what was done).</summary>
    public TimeSpan KeepFinishedJobs { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the in-process worker sweeps old job records (the Function app uses its timer schedule).</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a tool call waits for a queued job by default before answering with the job handle.</summary>
    [Range(0, 300)]
    public int DefaultWaitSeconds { get; set; } = 20;

    /// <summary>Longest wait a caller may ask for (clients time tool calls out; progress notifications keep them alive).</summary>
    [Range(0, 300)]
    public int MaxWaitSeconds { get; set; } = 50;

    /// <summary>How often a waiting call looks at the job's record.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Validity of a download link unless the caller asks otherwise (the brief: 24 h).</summary>
    [Range(1, 168)]
    public int DefaultLinkHours { get; set; } = 24;

    /// <summary>The back-off before attempt <paramref name="nextAttempt"/> (2 or more).</summary>
    public TimeSpan RetryDelay(int nextAttempt)
    {
        var factor = Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}

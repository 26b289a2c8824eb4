using System.Text.Json.Serialization;

namespace NeuraScale.Storage.Jobs;

/// <summary>Where a job is in its life. Succeeded, failed and cancelled are final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    Queued,
    Running,
    Retrying,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One job as the jobs table keeps it: what was asked (the request, as JSON, so any instance can run it), by whom, how
/// far it got and what came of it. The owner is a caller id, never a person's name.
/// </summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    /// <summary>What the job does, e.g. "export".</summary>
    public required string Kind { get; init; }

    /// <summary>Caller id of whoever asked; only they (or an admin) see the job.</summary>
    public required string Owner { get; init; }

    /// <summary>The job's input, as its kind's JSON.</summary>
    public required string Request { get; init; }

    public JobStatus Status { get; init; } = JobStatus.Queued;

    /// <summary>Fraction done, 0–1.</summary>
    public double Progress { get; init; }

    /// <summary>Last progress message or failure reason, for people and models.</summary>
    public string? Message { get; init; }

    /// <summary>The job's output, as its kind's JSON, once it succeeded.</summary>
    public string? Result { get; init; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; init; }

    public bool CancelRequested { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>A change to a job; null fields stay as they are.</summary>
public sealed record JobUpdate
{
    public JobStatus? Status { get; init; }

    public double? Progress { get; init; }

    public string? Message { get; init; }

    public string? Result { get; init; }

    public int? Attempts { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}

using Azure;
using Azure.Data.Tables;

namespace NeuraScale.Storage.Jobs;

/// <summary>
/// Job records in Table storage, one partition per job. Updates merge only the fields they name, so a progress update
/// never undoes a cancellation request written meanwhile by another instance.
/// </summary>
public sealed class JobStore(StorageClients clients, TimeProvider time)
{
    private const string Row = "job";
    private readonly TableClient _table = clients.JobsTable;

    /// <summary>Stores a new job, or returns the one already stored under the same id (the idempotency key).</summary>
    public async Task<(JobRecord Job, bool Created)> CreateAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var fresh = job with { Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now };
        try
        {
            await _table.AddEntityAsync(ToEntity(fresh), cancellationToken).ConfigureAwait(false);
            return (fresh, true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var stored = await GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
            return (stored ?? throw new InvalidOperationException($"Job {job.Id} exists and vanished while being read."), false);
        }
    }

    /// <summary>Starts a finished (failed or cancelled) job afresh under the same id; false if someone else did first.</summary>
    public async Task<JobRecord?> RestartAsync(JobRecord finished, CancellationToken cancellationToken = default)
    {
        var (entity, etag) = await ReadEntityAsync(finished.Id, cancellationToken).ConfigureAwait(false);
        if (entity is null || !FromEntity(entity).IsFinished)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var fresh = finished with { Status = JobStatus.Queued, Progress = 0, Message = null, Result = null, Attempts = 0, CancelRequested = false, CreatedAt = now, UpdatedAt = now, CompletedAt = null };
        try
        {
            await _table.UpdateEntityAsync(ToEntity(fresh), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return fresh;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var (entity, _) = await ReadEntityAsync(id, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Merges <paramref name="update"/> into the job.</summary>
    public async Task UpdateAsync(string id, JobUpdate update, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(id, Row) { ["UpdatedAt"] = time.GetUtcNow() };
        if (update.Status is { } status)
        {
            entity["Status"] = status.ToString();
        }

        if (update.Progress is { } progress)
        {
            entity["Progress"] = Math.Clamp(progress, 0, 1);
        }

        if (update.Message is { } message)
        {
            entity["Message"] = message;
        }

        if (update.Result is { } result)
        {
            entity["Result"] = result;
        }

        if (update.Attempts is { } attempts)
        {
            entity["Attempts"] = attempts;
        }

        if (update.CompletedAt is { } completed)
        {
            entity["CompletedAt"] = completed;
        }

        await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks whoever runs the job to stop; they see it at their next check.</summary>
    public async Task RequestCancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(id, Row) { ["CancelRequested"] = true, ["UpdatedAt"] = time.GetUtcNow() };
        await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes finished jobs completed before <paramref name="cutoff"/>; returns how many went. Unfinished jobs stay.</summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"CompletedAt lt {cutoff}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Status"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Enum.TryParse<JobStatus>(entity.GetString("Status"), out var status) && status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
            {
                await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Every job that <paramref name="match"/> accepts: a scan of the table, for compliance work, never a hot path.</summary>
    public async Task<IReadOnlyList<JobRecord>> FindAsync(Func<JobRecord, bool> match, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new List<JobRecord>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var job = FromEntity(entity);
            if (match(job))
            {
                found.Add(job);
            }
        }

        return found;
    }

    private async Task<(TableEntity? Entity, ETag ETag)> ReadEntityAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(id, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? (response.Value, response.Value!.ETag) : (null, default);
    }

    private static TableEntity ToEntity(JobRecord job) => new(job.Id, Row)
    {
        ["Kind"] = job.Kind,
        ["Owner"] = job.Owner,
        ["Request"] = job.Request,
        ["Status"] = job.Status.ToString(),
        ["Progress"] = job.Progress,
        ["Message"] = job.Message,
        ["Result"] = job.Result,
        ["Attempts"] = job.Attempts,
        ["CancelRequested"] = job.CancelRequested,
        ["CreatedAt"] = job.CreatedAt,
        ["UpdatedAt"] = job.UpdatedAt,
        ["CompletedAt"] = job.CompletedAt,
    };

    private static JobRecord FromEntity(TableEntity e) => new()
    {
        Id = e.PartitionKey,
        Kind = e.GetString("Kind"),
        Owner = e.GetString("Owner"),
        Request = e.GetString("Request"),
        Status = Enum.Parse<JobStatus>(e.GetString("Status")),
        Progress = e.GetDouble("Progress") ?? 0,
        Message = e.GetString("Message"),
        Result = e.GetString("Result"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        CancelRequested = e.GetBoolean("CancelRequested") ?? false,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
    };
}

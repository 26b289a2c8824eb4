using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>A job to start, fully resolved by the service that asks for it.</summary>
/// <param name="Kind">The <see cref="IJobHandler.Kind"/> that runs it.</param>
/// <param name="Request">The request as JSON, stored with the job so any instance can run it.</param>
/// <param name="Canonical">A canonical text of the request: identical requests share a job.</param>
/// <param name="Resources">Ids the request names (session, format…), for the audit log.</param>
/// <param name="RunInline">Small enough to run inside the call instead of queueing it.</param>
/// <param name="IdempotencyKey">The caller's own key, when given: the same key returns the same job.</param>
public sealed record JobSubmission(string Kind, string Request, string Canonical, IReadOnlyList<string> Resources, bool RunInline, string? IdempotencyKey);

/// <summary>How a job's result is delivered: how long a caller waits for it, and how long its download links live.</summary>
public sealed record JobDelivery(TimeSpan Wait, TimeSpan LinkValidity);

/// <summary>A file of a succeeded job with a fresh read-only link.</summary>
public sealed record DeliveredFile(JobFile File, DownloadLink Link);

/// <summary>
/// A job as its owner sees it: state, the files with fresh links once it succeeded, and its kind's details.
/// <see cref="Status"/> is the job's status in lower case, or <see cref="JobService.ExpiredStatus"/>.
/// </summary>
public sealed record JobView(JobRecord Job, string Status, string? Message, IReadOnlyList<DeliveredFile> Files, JsonElement? Details, bool Existing)
{
    public bool Expired => Status == JobService.ExpiredStatus;
}

/// <summary>
/// Jobs of any kind as callers see them: submitted once per request (or idempotency key), run inside the call when
/// small or queued for the job app otherwise, awaited up to a bound with progress, and delivered with download links —
/// each link issued is audited. Jobs belong to the caller who asked; nobody else sees them (admins excepted).
/// </summary>
public sealed partial class JobService(
    JobStore store,
    JobQueues queues,
    JobRunner runner,
    ExportFileStore files,
    DownloadLinkIssuer links,
    IAuditLog audit,
    IEnumerable<IJobHandler> handlers,
    IOptions<JobOptions> options,
    TimeProvider time)
{
    /// <summary>The status shown for a succeeded job whose files the retention rule has deleted.</summary>
    public const string ExpiredStatus = "expired";

    private readonly JobOptions _options = options.Value;
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>The wait and link validity a caller asked for, checked (defaults from <see cref="JobOptions"/>).</summary>
    public JobDelivery Delivery(double? linkExpiryHours, int? waitSeconds)
    {
        var hours = linkExpiryHours ?? _options.DefaultLinkHours;
        var max = DownloadLinkIssuer.MaxValidity.TotalHours;
        if (!(double.IsFinite(hours) && hours > 0 && hours <= max))
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"link_expiry_hours must be more than 0 and at most {max:0} (7 days); got {hours}. Default {_options.DefaultLinkHours}."));
        }

        var wait = waitSeconds ?? _options.DefaultWaitSeconds;
        if (wait < 0 || wait > _options.MaxWaitSeconds)
        {
            throw new InvalidRequestException($"wait_seconds must be 0–{_options.MaxWaitSeconds}; got {wait}. A job that takes longer keeps running: poll get_job_status.");
        }

        return new JobDelivery(TimeSpan.FromSeconds(wait), TimeSpan.FromHours(hours));
    }

    /// <summary>
    /// Submits a job (or finds the one an identical request or the same key made; a failed, cancelled or expired one
    /// starts afresh), starts it when new, waits for it up to <see cref="JobDelivery.Wait"/> reporting its progress,
    /// and returns it as its owner sees it.
    /// </summary>
    public async Task<JobView> SubmitAsync(JobSubmission submission, Caller caller, JobDelivery delivery, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var (job, created, filesPresent) = await CreateAsync(submission, caller, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            var message = new JobMessage(job.Id, 1);
            if (submission.RunInline)
            {
                await runner.RunAsync(message, cancellationToken, inline: true, observer: progress).ConfigureAwait(false);
            }
            else
            {
                await queues.EnqueueAsync(message, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }

        job = await AwaitAsync(job.Id, delivery.Wait, progress, cancellationToken).ConfigureAwait(false);

        // Files a run in this call just wrote, or that were looked at a moment ago, need no second look.
        var known = job.Status == JobStatus.Succeeded && (created || filesPresent) ? true : (bool?)null;
        return await ViewAsync(job, caller, delivery.LinkValidity, existing: !created, cancellationToken, known).ConfigureAwait(false);
    }

    /// <summary>A job of the caller's, with fresh links when it succeeded.</summary>
    public async Task<JobView> GetAsync(string jobId, Caller caller, JobDelivery delivery, CancellationToken cancellationToken)
    {
        var job = await GetOwnedAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
        return await ViewAsync(job, caller, delivery.LinkValidity, existing: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops a job of the caller's: one waiting in the queue is marked cancelled at once (the worker skips it); a
    /// running one stops at its next check, within about a second (awaited up to 10 s). A finished job stays as it is.
    /// </summary>
    public async Task<JobView> CancelAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        var job = await GetOwnedAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
        if (!job.IsFinished)
        {
            await store.RequestCancelAsync(job.Id, cancellationToken).ConfigureAwait(false);
            if (job.Status is JobStatus.Queued or JobStatus.Retrying)
            {
                await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Cancelled, Message = "Cancelled before it started.", CompletedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            }

            await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = job.Kind + "/cancel", Resources = [job.Id], Outcome = "requested" }, CancellationToken.None).ConfigureAwait(false);
            job = await AwaitAsync(job.Id, TimeSpan.FromSeconds(10), null, cancellationToken).ConfigureAwait(false);
        }

        return await ViewAsync(job, caller, TimeSpan.FromHours(_options.DefaultLinkHours), existing: true, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>The job, whether this call (re)started it, and whether its files were just seen in place.</returns>
    private async Task<(JobRecord Job, bool Created, bool FilesPresent)> CreateAsync(JobSubmission submission, Caller caller, CancellationToken cancellationToken)
    {
        var key = submission.IdempotencyKey?.Trim();
        if (key is { Length: 0 or > 128 })
        {
            throw new InvalidRequestException("idempotency_key must be 1–128 characters (e.g. a UUID you generate per request); omit it to deduplicate identical requests automatically.");
        }

        var id = "job_" + Identifiers.HashBase32(caller.Id + "\n" + (key is null ? "request\n" + submission.Canonical : "key\n" + key), 20);
        var wanted = new JobRecord { Id = id, Kind = submission.Kind, Owner = caller.Id, Request = submission.Request };
        var (job, created) = await store.CreateAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (!created && (job.Request != wanted.Request || job.Kind != wanted.Kind))
        {
            throw new InvalidRequestException(key is null
                ? $"An earlier {job.Kind} request like this one made job {id} with different details. Call get_job_status with {id}, or pass an idempotency_key of your own to start a separate job."
                : $"idempotency_key '{key}' was already used for a different {job.Kind} (job {id}). Use a new key for a new request, or call get_job_status with {id}.");
        }

        // A failed or cancelled job, or one whose files the retention rule deleted, starts afresh under the same id.
        var deleted = !created && await FilesDeletedAsync(job, cancellationToken).ConfigureAwait(false);
        var stale = job.Status is JobStatus.Failed or JobStatus.Cancelled || deleted;
        if (!created && stale && await store.RestartAsync(job, cancellationToken).ConfigureAwait(false) is { } restarted)
        {
            (job, created) = (restarted, true);
        }

        await audit.AppendAsync(
            new AuditEntry { Caller = caller.Id, Action = submission.Kind + "/request", Resources = [.. submission.Resources.Take(1), id, .. submission.Resources.Skip(1)], Outcome = created ? "created" : "existing" },
            CancellationToken.None).ConfigureAwait(false);
        return (job, created, !created && job.Status == JobStatus.Succeeded && !deleted);
    }

    /// <summary>Watches a job until it finishes or <paramref name="bound"/> passes, reporting its progress; returns its latest state.</summary>
    private async Task<JobRecord> AwaitAsync(string jobId, TimeSpan bound, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + bound;
        while (true)
        {
            var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Job {jobId} vanished from the jobs table.");
            progress?.Report(job.Progress);
            if (job.IsFinished || time.GetUtcNow() >= deadline)
            {
                return job;
            }

            await Task.Delay(_options.StatusPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The caller's job, or an error that reads the same whether it does not exist or belongs to someone else.</summary>
    private async Task<JobRecord> GetOwnedAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        var id = jobId?.Trim() ?? string.Empty;
        if (!JobIdPattern().IsMatch(id))
        {
            throw new InvalidRequestException($"job_id '{jobId}' is not a job id; ids look like 'job_' followed by 20 characters a-z or 2-7, as returned by the tool that started the job (e.g. export_neural_data).");
        }

        var job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return job is not null && (job.Owner == caller.Id || caller.Has(Permissions.Admin))
            ? job
            : throw new InvalidRequestException($"job_id '{id}' does not exist among your jobs. Job ids come from the tool that started the job (e.g. export_neural_data).");
    }

    /// <summary>Describes a job to its owner; a succeeded one comes with fresh download links, each recorded in the audit log.</summary>
    /// <param name="filesPresent">True when the caller has just seen (or written) the files; null to look.</param>
    private async Task<JobView> ViewAsync(JobRecord job, Caller caller, TimeSpan linkValidity, bool existing, CancellationToken cancellationToken, bool? filesPresent = null)
    {
        var handler = Handler(job);
        var output = handler.ReadOutput(job);
        var expired = filesPresent != true && await FilesDeletedAsync(job, cancellationToken).ConfigureAwait(false);
        var delivered = new List<DeliveredFile>();
        if (job.Status == JobStatus.Succeeded && !expired)
        {
            foreach (var file in output.Files)
            {
                var link = await links.IssueAsync(file.BlobName, file.FileName, linkValidity, cancellationToken).ConfigureAwait(false);
                await audit.AppendAsync(
                    new AuditEntry { Caller = caller.Id, Action = job.Kind + "/download_link", Resources = [job.Id, file.BlobName, "expires " + link.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)], Outcome = "issued" },
                    CancellationToken.None).ConfigureAwait(false);
                delivered.Add(new DeliveredFile(file, link));
            }
        }

        return expired
            ? new JobView(job, ExpiredStatus, $"The files of this {job.Kind} were deleted ({job.Kind}s are kept 8 days). Call {handler.StartedBy} with the same request to write them again.", [], output.Details, existing)
            : new JobView(job, job.Status.ToString().ToLowerInvariant(), job.Message, delivered, output.Details, existing);
    }

    /// <summary>True for a succeeded job whose main file the retention rule has deleted.</summary>
    private async Task<bool> FilesDeletedAsync(JobRecord job, CancellationToken cancellationToken) =>
        job.Status == JobStatus.Succeeded
        && Handler(job).ReadOutput(job).Files is [var first, ..]
        && !await files.ExistsAsync(first.BlobName, cancellationToken).ConfigureAwait(false);

    private IJobHandler Handler(JobRecord job) =>
        _handlers.TryGetValue(job.Kind, out var handler)
            ? handler
            : throw new InvalidOperationException($"No handler for jobs of kind '{job.Kind}'.");

    [GeneratedRegex("^job_[a-z2-7]{20}$")]
    private static partial Regex JobIdPattern();
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Mcp.Audit;
using NeuraScale.Mcp.NeuralData;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Mcp.Exports;

/// <summary>
/// Export jobs as the tools see them: submitted once per request (the idempotency key), run inside the call when
/// small or queued otherwise, awaited up to a bound, and delivered with download links — each link issued is audited.
/// Jobs belong to the caller who asked; nobody else sees them (admins excepted).
/// </summary>
public sealed partial class ExportJobs(JobStore store, JobQueues queues, JobRunner runner, DownloadLinkIssuer links, AuditLog audit, IOptions<ExportOptions> options, TimeProvider time)
{
    private readonly ExportOptions _options = options.Value;

    /// <summary>Stores the job for this request, or finds the one an identical request (or the same key) made; a failed or cancelled one starts afresh.</summary>
    public async Task<(JobRecord Job, bool Created)> SubmitAsync(ExportRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var key = idempotencyKey?.Trim();
        if (key is { Length: 0 or > 128 })
        {
            throw new ToolArgumentException("idempotency_key must be 1–128 characters (e.g. a UUID you generate per export); omit it to deduplicate identical requests automatically.");
        }

        var id = "job_" + Identifiers.HashBase32(caller.Id + "\n" + (key is null ? "request\n" + request.Canonical : "key\n" + key), 20);
        var wanted = new JobRecord { Id = id, Kind = ExportJobHandler.JobKind, Owner = caller.Id, Request = JsonSerializer.Serialize(request) };
        var (job, created) = await store.CreateAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (!created && job.Request != wanted.Request)
        {
            throw new ToolArgumentException($"idempotency_key '{key}' was already used for a different export (job {id}). Use a new key for a new request, or call get_job_status with {id}.");
        }

        // A failed or cancelled job, or one whose files the retention rule deleted, starts afresh under the same id.
        var stale = job.Status is JobStatus.Failed or JobStatus.Cancelled || (Summary(job) is { } done && !await FilesExistAsync(done, cancellationToken).ConfigureAwait(false));
        if (!created && stale && await store.RestartAsync(job, cancellationToken).ConfigureAwait(false) is { } restarted)
        {
            (job, created) = (restarted, true);
        }

        await audit.AppendAsync(
            new AuditEntry { Caller = caller.Id, Action = "export/request", Resources = [request.SessionId, id, request.Format.ToString().ToLowerInvariant()], Outcome = created ? "created" : "existing" },
            CancellationToken.None).ConfigureAwait(false);
        return (job, created);
    }

    /// <summary>Whether an export is small enough to run inside the tool call.</summary>
    public bool RunsInline(ExportPlan plan) => plan.SampleBytes <= _options.InlineMaxBytes;

    /// <summary>Runs a new job here and now (small exports) or queues it for the job service.</summary>
    public async Task StartAsync(JobRecord job, bool inline, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (inline)
        {
            await runner.RunAsync(new JobMessage(job.Id, 1), cancellationToken, inline: true, observer: progress).ConfigureAwait(false);
        }
        else
        {
            await queues.EnqueueAsync(new JobMessage(job.Id, 1), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Watches a job until it finishes or <paramref name="bound"/> passes, reporting its progress; returns its latest state.</summary>
    public async Task<JobRecord> AwaitAsync(string jobId, TimeSpan bound, IProgress<double>? progress, CancellationToken cancellationToken)
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

            await Task.Delay(_options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The caller's job, or an error that reads the same whether it does not exist or belongs to someone else.</summary>
    public async Task<JobRecord> GetOwnedAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        var id = jobId?.Trim() ?? string.Empty;
        if (!JobIdPattern().IsMatch(id))
        {
            throw new ToolArgumentException($"job_id '{jobId}' is not a job id; ids look like 'job_' followed by 20 characters a-z or 2-7, as returned by export_neural_data.");
        }

        var job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return job is not null && (job.Owner == caller.Id || caller.Has(Permissions.Admin))
            ? job
            : throw new ToolArgumentException($"job_id '{id}' does not exist among your jobs. Job ids come from export_neural_data.");
    }

    /// <summary>
    /// Asks a job to stop. One that is waiting in the queue is marked cancelled at once (the worker skips it); a running
    /// one stops at its next check, within about a second.
    /// </summary>
    public async Task RequestCancelAsync(JobRecord job, Caller caller, CancellationToken cancellationToken)
    {
        await store.RequestCancelAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (job.Status is JobStatus.Queued or JobStatus.Retrying)
        {
            await store.UpdateAsync(job.Id, new JobUpdate { Status = JobStatus.Cancelled, Message = "Cancelled before it started.", CompletedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }

        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = "export/cancel", Resources = [job.Id], Outcome = "requested" }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The link validity a caller asked for, checked.</summary>
    public TimeSpan LinkValidity(double? hours)
    {
        var value = hours ?? _options.DefaultLinkHours;
        var max = DownloadLinkIssuer.MaxValidity.TotalHours;
        return double.IsFinite(value) && value > 0 && value <= max
            ? TimeSpan.FromHours(value)
            : throw new ToolArgumentException($"link_expiry_hours must be more than 0 and at most {max:0} (7 days); got {value}. Default {_options.DefaultLinkHours}.");
    }

    /// <summary>The wait a caller asked for, checked.</summary>
    public TimeSpan Wait(int? seconds)
    {
        var value = seconds ?? _options.DefaultWaitSeconds;
        return value >= 0 && value <= _options.MaxWaitSeconds
            ? TimeSpan.FromSeconds(value)
            : throw new ToolArgumentException($"wait_seconds must be 0–{_options.MaxWaitSeconds}; got {value}. A job that takes longer keeps running: poll get_job_status.");
    }

    /// <summary>Describes a job to its owner; a succeeded one comes with fresh download links, each recorded in the audit log.</summary>
    public async Task<ExportJobResult> DescribeAsync(JobRecord job, Caller caller, TimeSpan linkValidity, bool existing, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<ExportRequest>(job.Request)!;
        var summary = Summary(job);
        var expired = summary is not null && !await FilesExistAsync(summary, cancellationToken).ConfigureAwait(false);
        if (expired)
        {
            summary = null;
        }

        var issued = new List<(ExportedFile File, DownloadLink Link)>();
        foreach (var file in summary?.Files ?? [])
        {
            var link = await links.IssueAsync(file.BlobName, file.FileName, linkValidity, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(
                new AuditEntry { Caller = caller.Id, Action = "export/download_link", Resources = [job.Id, file.BlobName, "expires " + link.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)], Outcome = "issued" },
                CancellationToken.None).ConfigureAwait(false);
            issued.Add((file, link));
        }

        var main = issued.Count > 0 ? issued[0] : default;
        return new ExportJobResult(
            job.Id,
            expired ? ExpiredStatus : job.Status.ToString().ToLowerInvariant(),
            Math.Round(job.Progress, 3),
            expired ? "The files of this export were deleted (exports are kept 8 days). Call export_neural_data with the same request to write them again." : job.Message,
            request.Format.ToString().ToLowerInvariant(),
            request.SessionId,
            main.Link?.Url.ToString(),
            main.Link?.ExpiresAt,
            main.File?.FileName,
            main.File?.SizeBytes,
            main.File?.Sha256,
            issued.Skip(1).Select(i => new ExportFileLink(i.File.Role, i.File.FileName, i.Link.Url.ToString(), i.File.SizeBytes, i.File.Sha256)).ToArray(),
            summary?.Channels,
            summary?.SamplingRateHz,
            summary?.StartTimeS,
            summary?.EndTimeS,
            summary?.SampleCount,
            summary?.EventCount,
            request.Format.OpenWith(),
            existing);
    }

    /// <summary>The status shown for a succeeded export whose files the retention rule has deleted.</summary>
    public const string ExpiredStatus = "expired";

    private static ExportSummary? Summary(JobRecord job) =>
        job.Status == JobStatus.Succeeded && job.Result is { } json ? JsonSerializer.Deserialize<ExportSummary>(json) : null;

    private async Task<bool> FilesExistAsync(ExportSummary summary, CancellationToken cancellationToken) =>
        summary.Files is [var first, ..] && await links.ExistsAsync(first.BlobName, cancellationToken).ConfigureAwait(false);

    [GeneratedRegex("^job_[a-z2-7]{20}$")]
    private static partial Regex JobIdPattern();
}

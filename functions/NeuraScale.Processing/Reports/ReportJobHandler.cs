using System.Text.Json;
using System.Text.Json.Serialization;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Reports;

/// <summary>Report jobs: the request is a <see cref="ReportRequest"/>, the result a <see cref="ReportSummary"/>; the PDF goes under the job id.</summary>
public sealed class ReportJobHandler(ReportService reports) : IJobHandler
{
    public const string JobKind = "report";

    public string Kind => JobKind;

    public string StartedBy => "generate_report";

    public async Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var summary = await reports.WriteAsync(Request(job), job.Id, progress, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(summary);
    }

    public JobOutput ReadOutput(JobRecord job)
    {
        var request = Request(job);
        var summary = job.Result is { } json ? JsonSerializer.Deserialize<ReportSummary>(json) : null;
        var details = new ReportDetails(request.Type, request.SessionIds, request.Sections, summary?.Title, summary?.Pages, summary?.Preview, summary?.Findings, summary?.IdentityIncluded ?? request.IncludeIdentity, request.Run?.RunId);
        return new JobOutput(summary?.Files ?? [], JsonSerializer.SerializeToElement(details));
    }

    public static ReportRequest Request(JobRecord job) =>
        JsonSerializer.Deserialize<ReportRequest>(job.Request)
        ?? throw new Domain.InvalidRequestException($"Job {job.Id} holds no report request.");
}

/// <summary>What a report job is about and, once written, what the report says in brief: the details get_job_status shows for reports.</summary>
public sealed record ReportDetails(
    [property: JsonPropertyName("report_type")] string ReportType,
    [property: JsonPropertyName("session_ids")] IReadOnlyList<string> SessionIds,
    [property: JsonPropertyName("sections")] IReadOnlyList<string> Sections,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("pages")] int? Pages,
    [property: JsonPropertyName("preview")] string? Preview,
    [property: JsonPropertyName("findings")] IReadOnlyList<string>? Findings,
    [property: JsonPropertyName("identity_included")] bool IdentityIncluded,
    [property: JsonPropertyName("protocol_run_id")] string? ProtocolRunId);

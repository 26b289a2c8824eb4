using NeuraScale.Domain;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Exports;

/// <summary>Export jobs: the request is an <see cref="ExportRequest"/>, the result an <see cref="ExportSummary"/>; files go under the job id.</summary>
public sealed class ExportJobHandler(ExportService exports) : IJobHandler
{
    public const string JobKind = "export";

    public string Kind => JobKind;

    public string StartedBy => "export_neural_data";

    public async Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var request = Request(job);
        var summary = await exports.ExportAsync(request, job.Id, progress, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(summary);
    }

    public JobOutput ReadOutput(JobRecord job)
    {
        var request = Request(job);
        var summary = job.Result is { } json ? JsonSerializer.Deserialize<ExportSummary>(json) : null;
        var details = new ExportDetails(
            request.Format.ToString().ToLowerInvariant(),
            request.SessionId,
            summary?.Channels,
            summary?.SamplingRateHz,
            summary?.StartTimeS,
            summary?.EndTimeS,
            summary?.SampleCount,
            summary?.EventCount,
            request.Format.OpenWith());
        return new JobOutput(summary?.Files ?? [], JsonSerializer.SerializeToElement(details));
    }

    /// <summary>The export request a job holds.</summary>
    public static ExportRequest Request(JobRecord job) =>
        JsonSerializer.Deserialize<ExportRequest>(job.Request)
        ?? throw new Domain.InvalidRequestException($"Job {job.Id} holds no export request.");
}

/// <summary>What an export job is about and, once it succeeded, what its file holds: the details get_job_status shows for exports.</summary>
public sealed record ExportDetails(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("channels")] IReadOnlyList<string>? Channels,
    [property: JsonPropertyName("sampling_rate_hz")] double? SamplingRateHz,
    [property: JsonPropertyName("start_time_s")] double? StartTimeS,
    [property: JsonPropertyName("end_time_s")] double? EndTimeS,
    [property: JsonPropertyName("n_samples")] long? NSamples,
    [property: JsonPropertyName("event_count")] int? EventCount,
    [property: JsonPropertyName("open_with")] string OpenWith);

using System.Text.Json;
using NeuraScale.Processing.Exports;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>Export jobs: the request is an <see cref="ExportRequest"/>, the result an <see cref="ExportSummary"/>; files go under the job id.</summary>
public sealed class ExportJobHandler(ExportService exports) : IJobHandler
{
    public const string JobKind = "export";

    public string Kind => JobKind;

    public async Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<ExportRequest>(job.Request)
            ?? throw new JobInputException($"Job {job.Id} holds no export request.");
        var summary = await exports.ExportAsync(request, job.Id, progress, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(summary);
    }
}

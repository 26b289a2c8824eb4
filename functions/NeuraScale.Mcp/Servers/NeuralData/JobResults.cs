using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>Jobs as tool results: the state, links when a job succeeded, a tool error with the reason when it failed.</summary>
internal static class JobResults
{
    /// <summary>Any kind of job, for get_job_status and cancel_job.</summary>
    public static CallToolResult Status(JobView view)
    {
        var result = Describe(view);
        var summary = Delivered(view) is { } main
            ? string.Create(CultureInfo.InvariantCulture, $"{Kind(view)} job {view.Job.Id} succeeded: {main.File.FileName} ({main.File.SizeBytes / 1e6:0.##} MB, sha256 {main.File.Sha256[..12]}…), link valid until {main.Link.ExpiresAt:yyyy-MM-dd HH:mm} UTC.")
            : Unfinished(view);
        return Shape(summary, result, view);
    }

    /// <summary>An export job, for export_neural_data: the state plus what the file holds.</summary>
    public static CallToolResult Export(JobView view)
    {
        var details = view.Details?.Deserialize<ExportDetails>() ?? throw new InvalidOperationException($"Job {view.Job.Id} has no export details.");
        var status = Describe(view);
        var main = Delivered(view);
        var result = new ExportJobResult(
            status.JobId,
            status.Status,
            status.Progress,
            status.Message,
            details.Format,
            details.SessionId,
            status.DownloadUrl,
            status.ExpiresAt,
            status.FileName,
            status.FileSize,
            status.Sha256,
            status.AdditionalFiles,
            main is null ? null : details.Channels,
            main is null ? null : details.SamplingRateHz,
            main is null ? null : details.StartTimeS,
            main is null ? null : details.EndTimeS,
            main is null ? null : details.NSamples,
            main is null ? null : details.EventCount,
            details.OpenWith,
            status.Existing);
        var summary = main is not null
            ? string.Create(CultureInfo.InvariantCulture,
                $"Exported {details.Channels!.Count} channel(s), {details.StartTimeS:0.###}–{details.EndTimeS:0.###} s of {details.SessionId} to {details.Format} ({main.File.SizeBytes / 1e6:0.##} MB, sha256 {main.File.Sha256[..12]}…): {main.File.FileName}, link valid until {main.Link.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Open with {details.OpenWith}.")
            : Unfinished(view);
        return Shape(summary, result, view);
    }

    /// <summary>The job's state, and its main and further files with their links once it succeeded.</summary>
    private static JobStatusResult Describe(JobView view)
    {
        var main = view.Files.Count > 0 ? view.Files[0] : null;
        return new JobStatusResult(
            view.Job.Id,
            view.Job.Kind,
            view.Status,
            Math.Round(view.Job.Progress, 3),
            view.Message,
            main?.Link.Url.ToString(),
            main?.Link.ExpiresAt,
            main?.File.FileName,
            main?.File.SizeBytes,
            main?.File.Sha256,
            view.Files.Skip(1).Select(f => new ExportFileLink(f.File.Role, f.File.FileName, f.Link.Url.ToString(), f.File.SizeBytes, f.File.Sha256)).ToArray(),
            view.Details,
            view.Existing);
    }

    /// <summary>The main file when the job succeeded and its files are still there; null otherwise.</summary>
    private static DeliveredFile? Delivered(JobView view) =>
        view.Job.Status == JobStatus.Succeeded && !view.Expired && view.Files.Count > 0 ? view.Files[0] : null;

    private static string Unfinished(JobView view) => view.Expired
        ? $"{Kind(view)} job {view.Job.Id} is expired: {view.Message}"
        : view.Job.Status switch
        {
            JobStatus.Failed => $"{Kind(view)} job {view.Job.Id} failed: {view.Job.Message} Fix the request and ask again (a failed job is restarted by the same request).",
            JobStatus.Cancelled => $"{Kind(view)} job {view.Job.Id} was cancelled. {view.Job.Message}",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"{Kind(view)} job {view.Job.Id} is {view.Status} ({view.Job.Progress * 100:0}%) and continues in the background. Call get_job_status with job_id {view.Job.Id} to follow it; the result carries the download link."),
        };

    private static CallToolResult Shape<T>(string summary, T result, JobView view)
    {
        var structured = ToolResults.Structured(summary, result);
        structured.IsError = view.Job.Status == JobStatus.Failed;
        return structured;
    }

    private static string Kind(JobView view) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(view.Job.Kind);
}

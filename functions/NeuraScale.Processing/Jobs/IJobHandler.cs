using NeuraScale.Domain;
using System.Text.Json;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>
/// Everything the job service needs to know about one kind of job (export now; reports and device commands next):
/// how to run it, and how to read its stored result back — the files it wrote (delivered as download links) and the
/// kind's own details.
/// </summary>
public interface IJobHandler
{
    /// <summary>The <see cref="JobRecord.Kind"/> handled, e.g. "export"; also the noun messages use ("a different export").</summary>
    string Kind { get; }

    /// <summary>The tool that starts jobs of this kind, named in messages that tell a caller to ask again.</summary>
    string StartedBy { get; }

    /// <summary>
    /// Runs one attempt and returns the result as JSON. Throws <see cref="Domain.InvalidRequestException"/> when the
    /// request can never succeed (the job fails at once, without retries).
    /// </summary>
    Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>The output of a succeeded job, read from its result.</summary>
    JobOutput ReadOutput(JobRecord job);
}

/// <summary>What a succeeded job left: files in the exports container (the first is the main one) and details for its kind.</summary>
public sealed record JobOutput(IReadOnlyList<JobFile> Files, JsonElement? Details);

using NeuraScale.Storage.Jobs;

namespace NeuraScale.Processing.Jobs;

/// <summary>Runs the jobs of one kind: reads the request from the record, returns the result as JSON.</summary>
public interface IJobHandler
{
    /// <summary>The <see cref="JobRecord.Kind"/> handled, e.g. "export".</summary>
    string Kind { get; }

    Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken);
}

/// <summary>A job that cannot succeed however often it is retried: the request, not the infrastructure, is the problem.</summary>
public class JobInputException(string message) : Exception(message);

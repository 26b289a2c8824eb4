using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using NeuraScale.Storage.Streaming;

namespace NeuraScale.Jobs;

/// <summary>
/// Ingests each Event Hubs Capture file as it lands in the capture container: a Blob trigger with the Event Grid source
/// (the only blob trigger Flex Consumption runs; the subscription is in infra), handing the file to
/// <see cref="CaptureIngestService"/>. The connection is identity-based (<c>CaptureStorage__blobServiceUri</c>). A file
/// delivered twice ingests once; a damaged or foreign event is quarantined and the rest of the file still ingests.
/// </summary>
public sealed partial class CaptureIngestFunction(CaptureIngestService ingest, ILogger<CaptureIngestFunction> logger)
{
    [Function("IngestCapture")]
    public async Task RunAsync(
        [BlobTrigger("capture/{name}", Source = BlobTriggerSource.EventGrid, Connection = "CaptureStorage")] Stream capture,
        string name,
        CancellationToken cancellationToken)
    {
        var result = await ingest.IngestAsync(name, capture, cancellationToken).ConfigureAwait(false);
        LogIngested(logger, name, result.Events, result.ChunksStored, result.ChunksAlreadyStored, result.Quarantined);
        if (result.FileProblem is { } problem)
        {
            LogDamaged(logger, name, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture file {Name}: {Events} events, {Stored} chunks stored, {Repeated} already stored, {Quarantined} quarantined")]
    private static partial void LogIngested(ILogger logger, string name, int events, int stored, int repeated, int quarantined);

    [LoggerMessage(Level = LogLevel.Error, Message = "Capture file {Name} is damaged; what preceded the damage was ingested: {Problem}")]
    private static partial void LogDamaged(ILogger logger, string name, string problem);
}

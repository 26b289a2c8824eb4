using System.Diagnostics;
using NeuraScale.Formats;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Storage.Streaming;

/// <summary>What one Capture file gave.</summary>
/// <param name="Events">Events read.</param>
/// <param name="ChunksStored">Chunks new to storage.</param>
/// <param name="ChunksAlreadyStored">Chunks seen before (a repeat delivery or a replayed file): stored once.</param>
/// <param name="Quarantined">Events refused, each kept with its reason under quarantine/.</param>
/// <param name="FileProblem">Why reading stopped early (a damaged file), or null.</param>
public sealed record CaptureIngestResult(int Events, int ChunksStored, int ChunksAlreadyStored, int Quarantined, string? FileProblem);

/// <summary>
/// Ingests one Event Hubs Capture file: every event is parsed (<see cref="ChunkEvents.Parse"/>) and applied
/// (<see cref="StreamIngestService"/>); an event that cannot be — damaged, not ours, not fitting its session — is
/// quarantined with the reason and the rest of the file still ingests. A file damaged part-way ingests what precedes
/// the damage and says so. Ingesting a file again changes nothing.
/// </summary>
public sealed class CaptureIngestService(StreamIngestService ingest, StreamStore streams)
{
    public static readonly ActivitySource Telemetry = new("NeuraScale.Ingest");

    public async Task<CaptureIngestResult> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartActivity("ingest capture file");
        activity?.SetTag("capture.blob", blobName);
        await using var stream = await streams.OpenCaptureAsync(blobName, cancellationToken).ConfigureAwait(false);
        var result = await IngestAsync(blobName, stream, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("capture.events", result.Events);
        activity?.SetTag("capture.quarantined", result.Quarantined);
        return result;
    }

    public async Task<CaptureIngestResult> IngestAsync(string source, Stream capture, CancellationToken cancellationToken)
    {
        int events = 0, stored = 0, repeated = 0, quarantined = 0;
        string? problem = null;
        using var reading = CaptureFile.Read(capture).GetEnumerator();
        while (true)
        {
            CapturedEvent captured;
            try
            {
                if (!reading.MoveNext())
                {
                    break;
                }

                captured = reading.Current;
            }
            catch (InvalidDataException ex)
            {
                problem = ex.Message;
                await streams.QuarantineAsync(source, "file", ex.Message, ReadOnlyMemory<byte>.Empty, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
                break;
            }

            events++;
            var key = $"{captured.SequenceNumber}";
            try
            {
                var outcome = await ingest.ApplyAsync(ChunkEvents.Parse(captured.Body, captured.Properties), cancellationToken).ConfigureAwait(false);
                stored += outcome is ChunkWriteOutcome.Written or ChunkWriteOutcome.Repaired ? 1 : 0;
                repeated += outcome is ChunkWriteOutcome.AlreadyPresent ? 1 : 0;
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or ConflictingChunkException or CorruptChunkException)
            {
                quarantined++;
                await streams.QuarantineAsync(source, key, ex.Message, captured.Body, captured.Properties, cancellationToken).ConfigureAwait(false);
            }
        }

        return new CaptureIngestResult(events, stored, repeated, quarantined, problem);
    }
}

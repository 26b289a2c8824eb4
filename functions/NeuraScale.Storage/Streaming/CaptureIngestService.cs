using System.Diagnostics;
using Microsoft.Extensions.Logging;
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
/// quarantined with the reason and the rest of the file still ingests. A reference to a claim-checked chunk is resolved
/// from storage and checked (<see cref="ChunkClaimCheck"/>) before it counts. A file damaged part-way ingests what
/// precedes the damage and says so. Ingesting a file again changes nothing.
/// </summary>
public sealed partial class CaptureIngestService(StreamIngestService ingest, StreamStore streams, ChunkClaimCheck claimCheck, ILogger<CaptureIngestService> logger)
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

    /// <summary>Events handled together: a minute of one relay's 1 kHz × 64 ch chunks is 15 MB in memory.</summary>
    private const int Group = 64;

    /// <summary>Chunk blobs written at once per session.</summary>
    private const int Parallelism = 8;

    public async Task<CaptureIngestResult> IngestAsync(string source, Stream capture, CancellationToken cancellationToken)
    {
        int events = 0, stored = 0, repeated = 0, quarantined = 0;
        string? problem = null;
        var group = new List<(CapturedEvent Captured, StreamEvent Parsed)>();
        using var reading = CaptureFile.Read(capture).GetEnumerator();
        while (true)
        {
            var more = true;
            try
            {
                more = reading.MoveNext();
            }
            catch (InvalidDataException ex)
            {
                problem = ex.Message;
                more = false;
                LogQuarantined(logger, source, -1, ex.Message);
                await streams.QuarantineAsync(source, "file", ex.Message, ReadOnlyMemory<byte>.Empty, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
            }

            if (more)
            {
                events++;
                var captured = reading.Current;
                try
                {
                    group.Add((captured, ChunkEvents.Parse(captured.Body, captured.Properties)));
                }
                catch (FormatException ex)
                {
                    quarantined++;
                    await QuarantineAsync(source, captured, ex.Message, cancellationToken).ConfigureAwait(false);
                }
            }

            if (group.Count >= Group || (!more && group.Count > 0))
            {
                var (s, r, q) = await ApplyAsync(source, group, cancellationToken).ConfigureAwait(false);
                (stored, repeated, quarantined) = (stored + s, repeated + r, quarantined + q);
                group.Clear();
            }

            if (!more)
            {
                break;
            }
        }

        return new CaptureIngestResult(events, stored, repeated, quarantined, problem);
    }

    /// <summary>
    /// A group of parsed events: opens first, then each session's chunks stored together (several blobs in flight, one
    /// catalog advance), then closes — the order the relay sent them in, and harmless in any other.
    /// </summary>
    private async Task<(int Stored, int Repeated, int Quarantined)> ApplyAsync(string source, List<(CapturedEvent Captured, StreamEvent Parsed)> group, CancellationToken cancellationToken)
    {
        var (quarantined, resolved) = await ResolveReferencesAsync(source, group, cancellationToken).ConfigureAwait(false);
        int stored = 0, repeated = 0;
        foreach (var (captured, parsed) in group.Where(e => e.Parsed is SessionOpened))
        {
            try
            {
                await ingest.OpenAsync(((SessionOpened)parsed).Session, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                quarantined++;
                await QuarantineAsync(source, captured, ex.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var session in group.Where(e => e.Parsed is ChunkArrived).GroupBy(e => e.Parsed.SessionId))
        {
            var items = session.ToList();
            // One span per session's chunks in the group, linked to the relay spans that sent them.
            var links = items.Select(e => ChunkEvents.TraceContext(e.Captured.Properties)).OfType<System.Diagnostics.ActivityContext>().Distinct().Select(c => new System.Diagnostics.ActivityLink(c));
            using var activity = Telemetry.StartActivity(System.Diagnostics.ActivityKind.Consumer, name: "ingest chunks", links: links);
            activity?.SetTag("session.id", session.Key.Value);
            activity?.SetTag("chunks", items.Count);
            var verified = resolved.Where(r => r.Session == session.Key).Select(r => r.Sequence).ToHashSet();
            var outcomes = await ingest.IngestChunksAsync(items.Select(e => ((ChunkArrived)e.Parsed).Chunk).ToList(), Parallelism, cancellationToken, verified).ConfigureAwait(false);
            for (var i = 0; i < items.Count; i++)
            {
                if (outcomes[i].Error is { } error)
                {
                    quarantined++;
                    await QuarantineAsync(source, items[i].Captured, error.Message, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    stored += outcomes[i].Outcome is ChunkWriteOutcome.Written or ChunkWriteOutcome.Repaired ? 1 : 0;
                    repeated += outcomes[i].Outcome is ChunkWriteOutcome.AlreadyPresent ? 1 : 0;
                }
            }
        }

        foreach (var (_, parsed) in group.Where(e => e.Parsed is SessionClosed))
        {
            await ingest.CloseAsync((SessionClosed)parsed, cancellationToken).ConfigureAwait(false);
        }

        return (stored, repeated, quarantined);
    }

    /// <summary>
    /// Replaces each claim-check reference in the group by the chunk it names, read and checked several at a time;
    /// a reference that does not resolve is quarantined with the reason and dropped. Returns how many were, and which
    /// chunks were read from their place and checked (so they are not written again).
    /// </summary>
    private async Task<(int Quarantined, HashSet<(Domain.SessionId Session, long Sequence)> Resolved)> ResolveReferencesAsync(string source, List<(CapturedEvent Captured, StreamEvent Parsed)> group, CancellationToken cancellationToken)
    {
        var references = Enumerable.Range(0, group.Count).Where(i => group[i].Parsed is ChunkReferenced).ToList();
        if (references.Count == 0)
        {
            return (0, []);
        }

        var failures = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        await Parallel.ForEachAsync(references, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                group[i] = (group[i].Captured, new ChunkArrived(await claimCheck.ResolveAsync((ChunkReferenced)group[i].Parsed, ct).ConfigureAwait(false)));
            }
            catch (FormatException ex)
            {
                failures[i] = ex.Message;
            }
        }).ConfigureAwait(false);
        foreach (var (i, reason) in failures.OrderBy(f => f.Key))
        {
            await QuarantineAsync(source, group[i].Captured, reason, cancellationToken).ConfigureAwait(false);
        }

        var resolved = references.Where(i => !failures.ContainsKey(i)).Select(i => (group[i].Parsed.SessionId, ((ChunkArrived)group[i].Parsed).Chunk.Sequence)).ToHashSet();
        group.RemoveAll(e => e.Parsed is ChunkReferenced);
        return (failures.Count, resolved);
    }

    private Task QuarantineAsync(string source, CapturedEvent captured, string reason, CancellationToken cancellationToken)
    {
        // The reason names sessions, sequence numbers and sizes, never patient data (events carry pseudonyms only).
        LogQuarantined(logger, source, captured.SequenceNumber, reason);
        return streams.QuarantineAsync(source, captured.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, captured.Body, captured.Properties, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined event {SequenceNumber} of capture file {Source}: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string source, long sequenceNumber, string reason);
}

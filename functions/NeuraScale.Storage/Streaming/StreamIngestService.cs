using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Storage.Streaming;

/// <summary>
/// Applies relay events to storage in any order and any number of times, with the same result as the Blob sink's
/// in-order writes: a chunk is stored as soon as it arrives (idempotently: a repeat is stored once, a different chunk
/// under the same name refused); the catalog's sample count advances only over the contiguous stored prefix, so a
/// reader never asks for a chunk that is not there; a chunk that arrives before its session opened waits in storage
/// and is counted when the open arrives; a close completes the session only once every sample it counts is stored.
/// Concurrent ingest of one session is safe: each advance is a conditional catalog update from where it stood.
/// </summary>
public sealed class StreamIngestService(SessionCatalog catalog, SignalStore store, SessionIngestService sessions, StreamStore streams)
{
    /// <summary>Registers a session (idempotent) and counts any of its chunks that arrived first.</summary>
    public async Task OpenAsync(RecordingSession session, CancellationToken cancellationToken)
    {
        await sessions.OpenAsync(session, cancellationToken).ConfigureAwait(false);
        await AdvanceAsync(session.Id, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps a close notice and applies it if its count is already stored.</summary>
    public async Task CloseAsync(SessionClosed closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closed);
        await streams.WriteCloseNoticeAsync(closed.SessionId, new CloseNotice(closed.Status, closed.SampleCount), cancellationToken).ConfigureAwait(false);
        await AdvanceAsync(closed.SessionId, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores one session's chunks, <paramref name="parallelism"/> at a time, then advances its catalog entry once over
    /// them. Each chunk's outcome or the error that refused it (it does not fit its session, or conflicts with a stored one).
    /// </summary>
    /// <param name="verifiedInStorage">Sequences just read from their own place and checked (claim-checked chunks): not written again.</param>
    public async Task<StoredChunk[]> IngestChunksAsync(IReadOnlyList<SignalChunk> chunks, int parallelism, CancellationToken cancellationToken, IReadOnlySet<long>? verifiedInStorage = null)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count == 0)
        {
            return [];
        }

        var outcomes = await StoreChunksAsync(chunks, parallelism, verifiedInStorage, cancellationToken).ConfigureAwait(false);
        var stored = chunks.Where((_, i) => outcomes[i].Error is null).GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.First());
        await AdvanceAsync(chunks[0].SessionId, stored, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    private async Task<StoredChunk[]> StoreChunksAsync(IReadOnlyList<SignalChunk> chunks, int parallelism, IReadOnlySet<long>? verifiedInStorage, CancellationToken cancellationToken)
    {
        var sessionId = chunks[0].SessionId;
        var session = await catalog.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var outcomes = new StoredChunk[chunks.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunks.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var chunk = chunks[i];
            try
            {
                if (chunk.SessionId != sessionId)
                {
                    throw new ArgumentException($"One call stores one session's chunks; got {chunk.SessionId} after {sessionId}.");
                }

                if (session is not null)
                {
                    SessionIngestService.Validate(session, chunk);
                }
                else if (chunk.SamplingRateHz != Math.Floor(chunk.SamplingRateHz) || chunk.FirstSample != chunk.Sequence * (long)chunk.SamplingRateHz || chunk.SampleCount < 1 || chunk.SampleCount > chunk.SamplingRateHz)
                {
                    throw new ArgumentException($"Chunk {chunk.Sequence} of {chunk.SessionId} is not on the one-second grid (it starts at {chunk.FirstSample} with {chunk.SampleCount} samples at {chunk.SamplingRateHz} Hz).");
                }

                outcomes[i] = verifiedInStorage?.Contains(chunk.Sequence) == true
                    ? new StoredChunk(ChunkWriteOutcome.AlreadyPresent, null)
                    : new StoredChunk(await store.WriteChunkAsync(chunk, ct).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is ArgumentException or ConflictingChunkException)
            {
                outcomes[i] = new StoredChunk(null, ex);
            }
        }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>
    /// Moves the catalog's count over the run of stored chunks that continues it — those just stored
    /// (<paramref name="known"/>), then any stored earlier — in one conditional update per run, then applies a close
    /// notice whose count has been reached. Nothing happens while the session is not open.
    /// </summary>
    private async Task AdvanceAsync(SessionId id, Dictionary<long, SignalChunk>? known, CancellationToken cancellationToken)
    {
        var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        while (session is not null && session.SampleCount % session.ChunkSamples == 0)
        {
            var run = new List<SignalChunk>();
            var ranOut = false;
            for (var next = session.SampleCount / session.ChunkSamples; ; next++)
            {
                var chunk = known is not null && known.TryGetValue(next, out var k) ? k : await ReadIntactAsync(id, next, cancellationToken).ConfigureAwait(false);
                if (chunk is null)
                {
                    ranOut = true;
                    break;
                }

                SessionIngestService.Validate(session, chunk);
                run.Add(chunk);
                if (chunk.SampleCount < session.ChunkSamples)
                {
                    break; // the session's last, partial chunk
                }
            }

            if (run.Count == 0)
            {
                break;
            }

            var from = session.SampleCount;
            var end = run[^1].FirstSample + run[^1].SampleCount;
            var events = run.Sum(c => c.Events.Count);
            session = await catalog.UpdateAsync(id, s => s.SampleCount == from ? s with { SampleCount = end, EventCount = s.EventCount + events } : s, cancellationToken).ConfigureAwait(false);
            if (session is not null && session.SampleCount == end && ranOut)
            {
                break; // the next chunk was just found missing: nothing more to count now
            }
        }

        if (session is { Status: SessionStatus.Recording } && await streams.ReadCloseNoticeAsync(id, cancellationToken).ConfigureAwait(false) is { } close
            && (close.SampleCount is null || session.SampleCount >= close.SampleCount))
        {
            await sessions.CloseAsync(id, close.Status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A stored chunk, or null when it is missing or damaged: a damaged copy is never counted, and waits to be repaired by a good one.</summary>
    private async Task<SignalChunk?> ReadIntactAsync(SessionId id, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadChunkAsync(id, sequence, cancellationToken).ConfigureAwait(false);
        }
        catch (CorruptChunkException)
        {
            return null;
        }
    }
}

/// <summary>What storing one chunk did: its outcome, or the error that refused it.</summary>
public sealed record StoredChunk(ChunkWriteOutcome? Outcome, Exception? Error);

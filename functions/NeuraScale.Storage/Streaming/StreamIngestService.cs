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
    /// <summary>Applies one event; returns what happened to a chunk (null for open and close).</summary>
    /// <exception cref="ArgumentException">The chunk does not fit its session (channels, rate, position).</exception>
    public async Task<ChunkWriteOutcome?> ApplyAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        switch (streamEvent)
        {
            case SessionOpened opened:
                await sessions.OpenAsync(opened.Session, cancellationToken).ConfigureAwait(false);
                await AdvanceAsync(opened.SessionId, null, cancellationToken).ConfigureAwait(false);
                return null;
            case ChunkArrived arrived:
                var chunk = arrived.Chunk;
                var session = await catalog.GetAsync(chunk.SessionId, cancellationToken).ConfigureAwait(false);
                if (session is not null)
                {
                    SessionIngestService.Validate(session, chunk);
                }
                else if (chunk.SamplingRateHz != Math.Floor(chunk.SamplingRateHz) || chunk.FirstSample != chunk.Sequence * (long)chunk.SamplingRateHz || chunk.SampleCount < 1 || chunk.SampleCount > chunk.SamplingRateHz)
                {
                    throw new ArgumentException($"Chunk {chunk.Sequence} of {chunk.SessionId} is not on the one-second grid (it starts at {chunk.FirstSample} with {chunk.SampleCount} samples at {chunk.SamplingRateHz} Hz).");
                }

                var outcome = await store.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
                await AdvanceAsync(chunk.SessionId, chunk, cancellationToken).ConfigureAwait(false);
                return outcome;
            case SessionClosed closed:
                await streams.WriteCloseNoticeAsync(closed.SessionId, new CloseNotice(closed.Status, closed.SampleCount), cancellationToken).ConfigureAwait(false);
                await AdvanceAsync(closed.SessionId, null, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                throw new ArgumentException($"Unknown event {streamEvent.GetType().Name}.", nameof(streamEvent));
        }
    }

    /// <summary>
    /// Moves the catalog's count over every stored chunk that continues it, then applies a close notice whose count
    /// has been reached. Nothing happens while the session is not open.
    /// </summary>
    private async Task AdvanceAsync(SessionId id, SignalChunk? arrived, CancellationToken cancellationToken)
    {
        var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        while (session is not null && session.SampleCount % session.ChunkSamples == 0)
        {
            var next = session.SampleCount / session.ChunkSamples;
            var chunk = arrived?.Sequence == next ? arrived : await store.ReadChunkAsync(id, next, cancellationToken).ConfigureAwait(false);
            if (chunk is null)
            {
                break;
            }

            SessionIngestService.Validate(session, chunk);
            var end = chunk.FirstSample + chunk.SampleCount;
            var from = chunk.FirstSample;
            var events = chunk.Events.Count;
            session = await catalog.UpdateAsync(id, s => s.SampleCount == from ? s with { SampleCount = end, EventCount = s.EventCount + events } : s, cancellationToken).ConfigureAwait(false);
        }

        if (session is { Status: SessionStatus.Recording } && await streams.ReadCloseNoticeAsync(id, cancellationToken).ConfigureAwait(false) is { } close
            && (close.SampleCount is null || session.SampleCount >= close.SampleCount))
        {
            await sessions.CloseAsync(id, close.Status, cancellationToken).ConfigureAwait(false);
        }
    }
}

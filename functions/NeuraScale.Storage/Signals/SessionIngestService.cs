using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Catalog;

namespace NeuraScale.Storage.Signals;

/// <summary>
/// Turns a stream of chunks into a stored session: manifest and catalog entry on open, chunk blobs and catalog
/// progress on append, final status on close. The one writer behind every ingest path (the relay's local Blob
/// sink, and the Event Hubs capture ingest in Azure).
/// </summary>
public sealed class SessionIngestService(SessionCatalog catalog, SignalStore store)
{
    /// <summary>Registers a session. Idempotent: opening an already-open session returns the stored one.</summary>
    public async Task<RecordingSession> OpenAsync(RecordingSession session, CancellationToken cancellationToken = default)
    {
        SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        await store.WriteManifestAsync(SessionManifest.For(session), cancellationToken).ConfigureAwait(false);
        return await catalog.AddAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a chunk and advances the catalog. A chunk must sit on the session's one-second grid, and a session's
    /// chunks arrive in sequence order (the relay sends them so; Event Hubs keeps order per session key). Repeating a
    /// chunk is harmless.
    /// </summary>
    public async Task<ChunkWriteOutcome> AppendAsync(SignalChunk chunk, CancellationToken cancellationToken = default)
    {
        var session = await catalog.GetAsync(chunk.SessionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Session {chunk.SessionId} is not open; open it before sending chunks.");
        Validate(session, chunk);

        var outcome = await store.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);

        // The catalog's sample count is the high-water mark of counted chunks. A chunk's events are counted when it
        // moves that mark, not when its blob is new: a writer that died between the blob and the catalog update
        // resends a chunk whose blob is already present but whose events were never counted.
        var end = chunk.FirstSample + chunk.SampleCount;
        await catalog.UpdateAsync(
            chunk.SessionId,
            s => end > s.SampleCount ? s with { SampleCount = end, EventCount = s.EventCount + chunk.Events.Count } : s,
            cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Marks the session finished (completed or interrupted).</summary>
    public Task<RecordingSession?> CloseAsync(SessionId id, SessionStatus status, CancellationToken cancellationToken = default)
    {
        if (status == SessionStatus.Recording)
        {
            throw new ArgumentException("A session is closed as Completed or Interrupted.", nameof(status));
        }

        return catalog.UpdateAsync(id, s => s with { Status = status }, cancellationToken);
    }

    private static void Validate(RecordingSession session, SignalChunk chunk)
    {
        if (chunk.ChannelCount != session.Channels.Count)
        {
            throw new ArgumentException($"Chunk {chunk.Sequence} has {chunk.ChannelCount} channels; session {session.Id} has {session.Channels.Count}.", nameof(chunk));
        }

        if (chunk.SamplingRateHz != session.SamplingRateHz)
        {
            throw new ArgumentException($"Chunk {chunk.Sequence} is at {chunk.SamplingRateHz} Hz; session {session.Id} is at {session.SamplingRateHz} Hz.", nameof(chunk));
        }

        if (chunk.FirstSample != chunk.Sequence * session.ChunkSamples || chunk.SampleCount > session.ChunkSamples || chunk.SampleCount == 0)
        {
            throw new ArgumentException(
                $"Chunk {chunk.Sequence} must start at sample {chunk.Sequence * session.ChunkSamples} and hold 1–{session.ChunkSamples} samples; it starts at {chunk.FirstSample} with {chunk.SampleCount}.",
                nameof(chunk));
        }
    }
}

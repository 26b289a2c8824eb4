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

    /// <summary>
    /// Stores a whole recording at once (an import): every chunk first, then the manifest, then the catalog entry as
    /// Completed with its sample and event counts. The catalog entry is what makes a session visible, so an import
    /// that fails part-way leaves no session — only chunk blobs that repeating the import (same id) finds in place.
    /// Returns the stored session and whether it was already there.
    /// </summary>
    /// <param name="session">The session as it will be catalogued; its counts and status are set from the chunks.</param>
    /// <param name="chunks">The session's chunks in sequence order.</param>
    /// <param name="progress">Fraction of <paramref name="totalChunks"/> stored, 0–1.</param>
    public async Task<(RecordingSession Session, bool AlreadyPresent)> ImportAsync(
        RecordingSession session, IEnumerable<SignalChunk> chunks, long totalChunks, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        if (await catalog.GetAsync(session.Id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, true);
        }

        // A few uploads in flight: chunk blobs are small, so latency, not bandwidth, bounds a sequential import.
        const int InFlight = 8;
        var pending = new List<Task>(InFlight);
        long samples = 0, stored = 0;
        var events = 0;
        foreach (var chunk in chunks)
        {
            Validate(session, chunk);
            samples = chunk.FirstSample + chunk.SampleCount;
            events += chunk.Events.Count;
            if (pending.Count == InFlight)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                await done.ConfigureAwait(false);
                progress?.Report(++stored / (double)Math.Max(1, totalChunks));
            }

            pending.Add(store.WriteChunkAsync(chunk, cancellationToken));
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        progress?.Report(1);
        var complete = session with { SampleCount = samples, EventCount = events, Status = SessionStatus.Completed };
        await store.WriteManifestAsync(SessionManifest.For(complete), cancellationToken).ConfigureAwait(false);
        return (await catalog.AddAsync(complete, cancellationToken).ConfigureAwait(false), false);
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

    internal static void Validate(RecordingSession session, SignalChunk chunk)
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

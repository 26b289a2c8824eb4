using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.EdgeRelay.Sinks;

/// <summary>
/// Where the relay sends data. Every method is idempotent (the relay repeats calls after a crash) and returns only
/// once the data is durably accepted: the relay deletes a spooled chunk as soon as <see cref="WriteChunkAsync"/> returns.
/// </summary>
public interface IChunkSink
{
    Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default);

    Task WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a prefix of <paramref name="chunks"/> (one session's, in sequence order) and returns its length: a sink
    /// that batches (Event Hubs) takes as many as fit one batch; the default takes them one by one.
    /// </summary>
    async Task<int> WriteChunksAsync(IReadOnlyList<SignalChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        foreach (var chunk in chunks)
        {
            await WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return chunks.Count;
    }

    Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes the session saying how many samples per channel it holds, so a sink whose ingest may see events out of
    /// order (Event Hubs Capture) completes the session only once all of them are stored.
    /// </summary>
    Task CloseSessionAsync(SessionId sessionId, SessionStatus status, long sampleCount, CancellationToken cancellationToken = default) =>
        CloseSessionAsync(sessionId, status, cancellationToken);
}

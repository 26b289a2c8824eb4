using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Streaming;

namespace NeuraScale.EdgeRelay.Sinks;

/// <summary>
/// The cloud sink: a session's open, chunk and close events to Event Hubs (docs/event-hubs.md), partitioned by session.
/// A chunk leaves the spool only once the hub acknowledged it; what the hub did not take stays spooled and is sent
/// again, so the ingest may see a chunk twice and stores it once.
/// </summary>
public sealed class EventHubsChunkSink(ChunkEventPublisher publisher) : IChunkSink
{
    public Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default) =>
        publisher.PublishOpenAsync(session, cancellationToken);

    public async Task WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default) =>
        await publisher.PublishChunksAsync([chunk], cancellationToken).ConfigureAwait(false);

    public Task<int> WriteChunksAsync(IReadOnlyList<SignalChunk> chunks, CancellationToken cancellationToken = default) =>
        publisher.PublishChunksAsync(chunks, cancellationToken);

    public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default) =>
        publisher.PublishCloseAsync(sessionId, status, null, cancellationToken);

    public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, long sampleCount, CancellationToken cancellationToken = default) =>
        publisher.PublishCloseAsync(sessionId, status, sampleCount, cancellationToken);
}

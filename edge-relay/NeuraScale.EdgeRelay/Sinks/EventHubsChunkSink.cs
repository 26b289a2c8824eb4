using Microsoft.Extensions.Logging;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Streaming;

namespace NeuraScale.EdgeRelay.Sinks;

/// <summary>
/// The cloud sink: a session's open, chunk and close events to Event Hubs (docs/event-hubs.md), partitioned by session.
/// A chunk leaves the spool only once the hub acknowledged it; what the hub did not take stays spooled and is sent
/// again, so the ingest may see a chunk twice and stores it once. With a live mirror, what the hub acknowledged is also
/// stored at once through the order-independent ingest, so tools see a recording while it records; a mirror write
/// that fails is logged and left to the Capture ingest, never retried at the spool's expense.
/// </summary>
public sealed partial class EventHubsChunkSink(ChunkEventPublisher publisher, StreamIngestService? mirror = null, ILogger<EventHubsChunkSink>? logger = null) : IChunkSink
{
    public async Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default)
    {
        await publisher.PublishOpenAsync(session, cancellationToken).ConfigureAwait(false);
        if (mirror is not null)
        {
            // The tools wait for a started recording to be listed: the open is mirrored before the relay reports it.
            await mirror.OpenAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default) =>
        await WriteChunksAsync([chunk], cancellationToken).ConfigureAwait(false);

    public async Task<int> WriteChunksAsync(IReadOnlyList<SignalChunk> chunks, CancellationToken cancellationToken = default)
    {
        var taken = await publisher.PublishChunksAsync(chunks, cancellationToken).ConfigureAwait(false);
        await MirrorAsync(() => mirror!.IngestChunksAsync(chunks.Take(taken).ToList(), 4, cancellationToken), chunks[0].SessionId).ConfigureAwait(false);
        return taken;
    }

    public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default) =>
        CloseAsync(sessionId, status, null, cancellationToken);

    public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, long sampleCount, CancellationToken cancellationToken = default) =>
        CloseAsync(sessionId, status, sampleCount, cancellationToken);

    private async Task CloseAsync(SessionId sessionId, SessionStatus status, long? sampleCount, CancellationToken cancellationToken)
    {
        await publisher.PublishCloseAsync(sessionId, status, sampleCount, cancellationToken).ConfigureAwait(false);
        await MirrorAsync(() => mirror!.CloseAsync(new SessionClosed(sessionId, status, sampleCount), cancellationToken), sessionId).ConfigureAwait(false);
    }

    private async Task MirrorAsync(Func<Task> write, SessionId sessionId)
    {
        if (mirror is null)
        {
            return;
        }

        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (logger is not null)
            {
                LogMirrorFailed(logger, sessionId.Value, ex.GetType().Name, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live mirror of session {SessionId} failed ({Error}: {Detail}); the Capture ingest will store it.")]
    private static partial void LogMirrorFailed(ILogger logger, string sessionId, string error, string detail);
}

using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Signals;

namespace NeuraScale.EdgeRelay.Sinks;

/// <summary>
/// The local (and fallback) sink: writes chunks straight to Blob storage and the catalog through the same ingest
/// service the cloud ingest path uses, so data looks the same whichever way it came.
/// </summary>
public sealed class BlobChunkSink(SessionIngestService ingest) : IChunkSink
{
    public Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default) =>
        ingest.OpenAsync(session, cancellationToken);

    public Task WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default) =>
        ingest.AppendAsync(chunk, cancellationToken);

    public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default) =>
        ingest.CloseAsync(sessionId, status, cancellationToken);
}

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

    Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default);
}

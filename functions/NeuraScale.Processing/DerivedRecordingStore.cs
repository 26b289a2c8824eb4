using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing;

/// <summary>
/// Stores derived recordings in the same chunk layout as recorded ones, so every reader serves them alike. Chunks
/// may be written in any order (a backward filter pass finishes at the start); the catalog entry is marked
/// completed, with its sample and event counts, only once every chunk is stored.
/// </summary>
public sealed class DerivedRecordingStore(SessionCatalog catalog, SignalStore store)
{
    private const int ParallelChunkWrites = 8;

    /// <summary>The stored derived recording with this id, if one was completed earlier.</summary>
    public async Task<RecordingSession?> FindCompletedAsync(SessionId id, CancellationToken cancellationToken)
    {
        var existing = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return existing is { Status: SessionStatus.Completed } ? existing : null;
    }

    /// <summary>Registers the derived recording (manifest and catalog entry, status recording). Idempotent.</summary>
    public async Task<RecordingSession> OpenAsync(RecordingSession derived, CancellationToken cancellationToken)
    {
        await store.WriteManifestAsync(SessionManifest.For(derived), cancellationToken).ConfigureAwait(false);
        return await catalog.AddAsync(derived, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the chunks covering derived samples [<paramref name="firstSample"/>, + data length) with the markers
    /// in that range. <paramref name="firstSample"/> must be on the one-second chunk grid.
    /// </summary>
    public Task WriteAsync(RecordingSession derived, long firstSample, double[][] data, int count, IReadOnlyList<EventMarker> events, CancellationToken cancellationToken)
    {
        var chunkSamples = derived.ChunkSamples;
        if (firstSample % chunkSamples != 0)
        {
            throw new ArgumentException($"Derived data must start on the chunk grid ({chunkSamples} samples); got {firstSample}.", nameof(firstSample));
        }

        var chunks = (count + chunkSamples - 1) / chunkSamples;
        return Parallel.ForEachAsync(
            Enumerable.Range(0, chunks),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelChunkWrites, CancellationToken = cancellationToken },
            async (k, ct) =>
            {
                var offset = k * chunkSamples;
                var samples = Math.Min(chunkSamples, count - offset);
                var buffer = new float[data.Length * samples];
                for (var c = 0; c < data.Length; c++)
                {
                    for (var i = 0; i < samples; i++)
                    {
                        buffer[(c * samples) + i] = (float)data[c][offset + i];
                    }
                }

                var first = firstSample + offset;
                var inChunk = events.Where(e => e.Sample >= first && e.Sample < first + samples).ToArray();
                var chunk = new SignalChunk(derived.Id, first / chunkSamples, first, derived.SamplingRateHz, data.Length, buffer, inChunk);
                await store.WriteChunkAsync(chunk, ct).ConfigureAwait(false);
            });
    }

    /// <summary>Marks the derived recording complete with its final counts.</summary>
    public async Task<RecordingSession> CompleteAsync(SessionId id, long sampleCount, int eventCount, CancellationToken cancellationToken) =>
        await catalog.UpdateAsync(id, s => s with { SampleCount = sampleCount, EventCount = eventCount, Status = SessionStatus.Completed }, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"Derived recording {id} vanished from the catalog while it was being written.");
}

using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Signals;

/// <summary>What happened when a chunk was written.</summary>
public enum ChunkWriteOutcome
{
    /// <summary>The chunk was new and is now stored.</summary>
    Written,
    /// <summary>An identical chunk was already stored; nothing changed.</summary>
    AlreadyPresent,
    /// <summary>A corrupt blob was in the chunk's place and has been replaced by this good copy.</summary>
    Repaired,
}

/// <summary>
/// Session manifests and chunk blobs in the signals container, in the layout of <c>docs/chunk-layout.md</c>.
/// Writes are idempotent: the same chunk twice is harmless; a different chunk under the same name is refused.
/// </summary>
public sealed class SignalStore(StorageClients clients)
{
    private readonly BlobContainerClient _container = clients.SignalsContainer;

    public async Task WriteManifestAsync(SessionManifest manifest, CancellationToken cancellationToken = default)
    {
        var id = SessionId.Parse(manifest.SessionId);
        var bytes = manifest.ToJson();
        var blob = _container.GetBlobClient(ChunkNaming.Manifest(id));
        try
        {
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await ReadManifestAsync(id, cancellationToken).ConfigureAwait(false);
            if (existing is null || !SameLayout(existing, manifest))
            {
                throw new InvalidOperationException($"Session {id} already has a manifest with a different channel layout or sampling rate; a session's layout cannot change once recording has started.");
            }
        }
    }

    public async Task<SessionManifest?> ReadManifestAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _container.GetBlobClient(ChunkNaming.Manifest(id)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return SessionManifest.FromJson(result.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores a chunk under its sequence number. Safe to repeat; see <see cref="ChunkWriteOutcome"/>.</summary>
    public Task<ChunkWriteOutcome> WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default) =>
        WriteChunkAsync(chunk, ChunkCodec.Encode(chunk), cancellationToken);

    /// <summary>Stores a chunk already encoded; <paramref name="bytes"/> must be <see cref="ChunkCodec.Encode"/> of <paramref name="chunk"/>.</summary>
    public async Task<ChunkWriteOutcome> WriteChunkAsync(SignalChunk chunk, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(bytes);
        var blob = _container.GetBlobClient(ChunkNaming.Chunk(chunk.SessionId, chunk.Sequence));
        try
        {
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken).ConfigureAwait(false);
            return ChunkWriteOutcome.Written;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var stored = existing.Value.Content.ToMemory();
            if (stored.Span.SequenceEqual(bytes))
            {
                return ChunkWriteOutcome.AlreadyPresent;
            }

            if (IsValidChunk(stored.Span))
            {
                throw new ConflictingChunkException(chunk.SessionId, chunk.Sequence);
            }

            // The stored copy fails its checksum: replace it, but only if nobody replaced it meanwhile.
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = existing.Value.Details.ETag } },
                cancellationToken).ConfigureAwait(false);
            return ChunkWriteOutcome.Repaired;
        }
    }

    /// <summary>
    /// Reads and verifies one chunk. Returns null when it does not exist; throws <see cref="CorruptChunkException"/>
    /// when the stored bytes fail verification or belong to another position.
    /// </summary>
    public async Task<SignalChunk?> ReadChunkAsync(SessionId id, long sequence, CancellationToken cancellationToken = default)
    {
        // Streamed into a pooled buffer of the blob's exact length: DownloadContent's growing buffer cost more CPU than
        // the rest of a bulk read put together.
        Response<BlobDownloadStreamingResult> download;
        try
        {
            download = await _container.GetBlobClient(ChunkNaming.Chunk(id, sequence)).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        SignalChunk chunk;
        using (var result = download.Value)
        {
            var length = checked((int)result.Details.ContentLength);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await result.Content.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                chunk = ChunkCodec.Decode(buffer.AsSpan(0, length));
            }
            catch (CorruptChunkException ex)
            {
                throw new CorruptChunkException($"Chunk {sequence} of session {id} is corrupt: {ex.Message}", ex);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (chunk.SessionId != id || chunk.Sequence != sequence)
        {
            throw new CorruptChunkException($"Chunk {sequence} of session {id} holds chunk {chunk.Sequence} of session {chunk.SessionId}; the blob is misplaced.");
        }

        return chunk;
    }

    /// <summary>Sequence numbers of the chunks stored for a session, ascending.</summary>
    public async Task<IReadOnlyList<long>> ListChunkSequencesAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        var prefix = ChunkNaming.SessionPrefix(id) + "chunks/";
        var sequences = new List<long>();
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            var name = Path.GetFileNameWithoutExtension(item.Name);
            if (long.TryParse(name, out var sequence))
            {
                sequences.Add(sequence);
            }
        }

        sequences.Sort();
        return sequences;
    }

    private static bool IsValidChunk(ReadOnlySpan<byte> bytes)
    {
        try
        {
            ChunkCodec.Decode(bytes);
            return true;
        }
        catch (CorruptChunkException)
        {
            return false;
        }
    }

    private static bool SameLayout(SessionManifest a, SessionManifest b) =>
        a.SamplingRateHz == b.SamplingRateHz && a.ChunkSamples == b.ChunkSamples && a.Channels.SequenceEqual(b.Channels);
}

/// <summary>A different chunk is already stored at this position: the writer has a bug or two sessions share an id.</summary>
public sealed class ConflictingChunkException(SessionId sessionId, long sequence)
    : InvalidOperationException($"Chunk {sequence} of session {sessionId} is already stored with different content; chunks are immutable once written.")
{
    public SessionId SessionId { get; } = sessionId;

    public long Sequence { get; } = sequence;
}

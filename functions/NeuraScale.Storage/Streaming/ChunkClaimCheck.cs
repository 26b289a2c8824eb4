using System.Security.Cryptography;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Storage.Streaming;

/// <summary>
/// The claim-check for chunks larger than one event (a second of 64 channels at 5 kHz is 1.28 MB; Standard Event Hubs
/// takes 1 MB): the relay stores the chunk at its own place in the signals container — the very blob the ingest would
/// write — and sends a small reference in its place; the ingest resolves the reference by reading that blob and
/// checking it is exactly the chunk referenced (length and SHA-256) before counting it. Writing is idempotent as every
/// chunk write is, so a resent reference or a stored-twice chunk changes nothing.
/// </summary>
public sealed class ChunkClaimCheck(SignalStore store)
{
    /// <summary>Stores the chunk where its reference says (before the reference is sent).</summary>
    /// <exception cref="ConflictingChunkException">A different chunk is already stored under its name.</exception>
    public Task<ChunkWriteOutcome> StoreAsync(SignalChunk chunk, CancellationToken cancellationToken) =>
        store.WriteChunkAsync(chunk ?? throw new ArgumentNullException(nameof(chunk)), cancellationToken);

    /// <summary>Stores a chunk already encoded (<see cref="ChunkCodec.Encode"/>).</summary>
    public Task<ChunkWriteOutcome> StoreAsync(SignalChunk chunk, byte[] encoded, CancellationToken cancellationToken) =>
        store.WriteChunkAsync(chunk ?? throw new ArgumentNullException(nameof(chunk)), encoded, cancellationToken);

    /// <summary>The reference of a chunk: its session, sequence, and the length and SHA-256 of its encoded bytes.</summary>
    /// <param name="encoded">The chunk already encoded, to spare encoding it again.</param>
    public static ChunkReferenced Reference(SignalChunk chunk, byte[]? encoded = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var bytes = encoded ?? ChunkCodec.Encode(chunk);
        return new ChunkReferenced(chunk.SessionId, chunk.Sequence, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The chunk a reference names, read from storage and checked against the reference.</summary>
    /// <exception cref="FormatException">The chunk is missing, damaged or not the one referenced; the message says which.</exception>
    public async Task<SignalChunk> ResolveAsync(ChunkReferenced reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        SignalChunk? chunk;
        try
        {
            chunk = await store.ReadChunkAsync(reference.SessionId, reference.Sequence, cancellationToken).ConfigureAwait(false);
        }
        catch (CorruptChunkException ex)
        {
            throw new FormatException($"The claim-checked chunk {reference.Sequence} of {reference.SessionId} is damaged in storage: {ex.Message}");
        }

        if (chunk is null)
        {
            throw new FormatException($"The claim-checked chunk {reference.Sequence} of {reference.SessionId} is not in storage: the relay's upload did not happen or was deleted.");
        }

        var stored = Reference(chunk);
        return stored.Length == reference.Length && string.Equals(stored.Sha256, reference.Sha256, StringComparison.OrdinalIgnoreCase)
            ? chunk
            : throw new FormatException(
                $"The stored chunk {reference.Sequence} of {reference.SessionId} is not the one referenced ({stored.Length:N0} bytes, SHA-256 {stored.Sha256[..12]}… vs {reference.Length:N0} bytes, {reference.Sha256[..Math.Min(12, reference.Sha256.Length)]}…).");
    }
}

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Signals;

/// <summary>
/// Verified chunks kept in this process's memory, up to <see cref="StorageOptions.ChunkCacheMegabytes"/>, least
/// recently used dropped first. Sound because a stored chunk that passes verification never changes: a writer that
/// sends different samples for the same position is refused (<see cref="ConflictingChunkException"/>), and only a copy
/// that fails its CRC is ever replaced — and such a copy is never cached. Misses are not cached (a live recording's
/// next chunk appears later). Many readers of the same recording (a viewer paging, clients polling the newest data)
/// then cost the storage account nothing after the first read.
/// </summary>
public sealed class ChunkCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public ChunkCache(IOptions<StorageOptions> options)
    {
        var megabytes = options.Value.ChunkCacheMegabytes;
        _cache = megabytes > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = megabytes * 1024L * 1024L, CompactionPercentage = 0.25 }) : null;
    }

    public bool TryGet(SessionId session, long sequence, out SignalChunk chunk)
    {
        chunk = null!;
        return _cache is not null && _cache.TryGetValue((session, sequence), out chunk!);
    }

    public void Add(SignalChunk chunk)
    {
        // Samples (float32) plus the object overheads; events are few.
        _cache?.Set((chunk.SessionId, chunk.Sequence), chunk, new MemoryCacheEntryOptions { Size = (chunk.ChannelCount * (long)chunk.SampleCount * sizeof(float)) + 256 });
    }

    public void Dispose() => _cache?.Dispose();
}

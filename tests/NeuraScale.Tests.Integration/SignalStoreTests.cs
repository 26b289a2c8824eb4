using Azure.Storage.Blobs;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

public class SignalStoreTests(AzuriteFixture azurite)
{
    private static readonly SimulatedAmplifier Amp = new(new SimulatorOptions { ChannelCount = 6, SamplingRateHz = 200, Seed = 5 });

    private async Task<(StorageClients Clients, SignalStore Store, SessionIngestService Ingest, RecordingSession Session)> SetUpAsync()
    {
        var clients = await azurite.CreateStorageAsync(TestContext.Current.CancellationToken);
        var store = new SignalStore(clients);
        var ingest = new SessionIngestService(new SessionCatalog(clients), store);
        var session = await ingest.OpenAsync(TestSessions.For(Amp, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        return (clients, store, ingest, session);
    }

    [Fact]
    public async Task WriteChunkAsync_SameChunkTwice_IsHarmless()
    {
        var (_, store, _, session) = await SetUpAsync();
        var chunk = TestSessions.Chunk(Amp, session.Id, 0);

        Assert.Equal(ChunkWriteOutcome.Written, await store.WriteChunkAsync(chunk, TestContext.Current.CancellationToken));
        Assert.Equal(ChunkWriteOutcome.AlreadyPresent, await store.WriteChunkAsync(chunk, TestContext.Current.CancellationToken));

        var read = await store.ReadChunkAsync(session.Id, 0, TestContext.Current.CancellationToken);
        Assert.Equal(chunk.Samples, read!.Samples);
    }

    [Fact]
    public async Task WriteChunkAsync_DifferentContentSamePosition_IsRefused()
    {
        var (_, store, _, session) = await SetUpAsync();
        await store.WriteChunkAsync(TestSessions.Chunk(Amp, session.Id, 0), TestContext.Current.CancellationToken);
        var other = TestSessions.Chunk(new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 6, SamplingRateHz = 200, Seed = 6 }), session.Id, 0);

        await Assert.ThrowsAsync<ConflictingChunkException>(() => store.WriteChunkAsync(other, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadChunkAsync_CorruptBlob_IsReportedNotServed_AndRewriteRepairsIt()
    {
        var (clients, store, _, session) = await SetUpAsync();
        var chunk = TestSessions.Chunk(Amp, session.Id, 3);
        await store.WriteChunkAsync(chunk, TestContext.Current.CancellationToken);

        // Flip one payload byte in storage, as bit rot or a bad writer would.
        var blob = clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 3));
        var bytes = (await blob.DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToArray();
        bytes[bytes.Length / 2] ^= 0x40;
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<CorruptChunkException>(() => store.ReadChunkAsync(session.Id, 3, TestContext.Current.CancellationToken));
        Assert.Contains("checksum", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(session.Id.Value, ex.Message, StringComparison.Ordinal);

        Assert.Equal(ChunkWriteOutcome.Repaired, await store.WriteChunkAsync(chunk, TestContext.Current.CancellationToken));
        Assert.Equal(chunk.Samples, (await store.ReadChunkAsync(session.Id, 3, TestContext.Current.CancellationToken))!.Samples);
    }

    [Fact]
    public async Task ReadChunkAsync_BlobUnderWrongName_IsReportedAsMisplaced()
    {
        var (clients, store, _, session) = await SetUpAsync();
        var bytes = ChunkCodec.Encode(TestSessions.Chunk(Amp, session.Id, 1));
        await clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 2)).UploadAsync(new BinaryData(bytes), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<CorruptChunkException>(() => store.ReadChunkAsync(session.Id, 2, TestContext.Current.CancellationToken));
        Assert.Contains("misplaced", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_UpdatesCatalogOnce_EvenWhenRepeated()
    {
        var (clients, _, ingest, session) = await SetUpAsync();
        var catalog = new SessionCatalog(clients);
        var chunks = Enumerable.Range(0, 5).Select(i => TestSessions.Chunk(Amp, session.Id, i)).ToArray();

        foreach (var chunk in chunks.Concat(chunks.Take(2)))
        {
            await ingest.AppendAsync(chunk, TestContext.Current.CancellationToken);
        }

        var stored = await catalog.GetAsync(session.Id, TestContext.Current.CancellationToken);
        Assert.Equal(1000, stored!.SampleCount);
        Assert.Equal(chunks.Sum(c => c.Events.Count), stored.EventCount);
        Assert.True(stored.EventCount > 0);
    }

    [Fact]
    public async Task AppendAsync_ChunkStoredBeforeACrashButNotCounted_IsCountedWhenResent()
    {
        var (clients, store, ingest, session) = await SetUpAsync();
        var catalog = new SessionCatalog(clients);
        var chunks = Enumerable.Range(0, 10).Select(i => TestSessions.Chunk(Amp, session.Id, i)).ToArray();
        var lost = Array.FindIndex(chunks, c => c.Events.Count > 0); // the chunk whose catalog update is lost

        foreach (var chunk in chunks)
        {
            if (chunk.Sequence == lost)
            {
                await store.WriteChunkAsync(chunk, TestContext.Current.CancellationToken); // the writer dies here
                Assert.Equal(ChunkWriteOutcome.AlreadyPresent, await ingest.AppendAsync(chunk, TestContext.Current.CancellationToken));
            }
            else
            {
                await ingest.AppendAsync(chunk, TestContext.Current.CancellationToken);
            }
        }

        var stored = await catalog.GetAsync(session.Id, TestContext.Current.CancellationToken);
        Assert.True(lost >= 0 && stored!.EventCount > 0);
        Assert.Equal(chunks.Sum(c => c.Events.Count), stored.EventCount);
        Assert.Equal(2000, stored.SampleCount);
    }

    [Fact]
    public async Task AppendAsync_ChunkOffTheOneSecondGrid_IsRejected()
    {
        var (_, _, ingest, session) = await SetUpAsync();
        var good = TestSessions.Chunk(Amp, session.Id, 1);
        var shifted = new SignalChunk(session.Id, 1, 150, 200, 6, good.Samples, []);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ingest.AppendAsync(shifted, TestContext.Current.CancellationToken));
        Assert.Contains("must start at sample 200", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WindowAcrossChunks_EqualsGroundTruth()
    {
        var (clients, store, ingest, session) = await SetUpAsync();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await ingest.AppendAsync(TestSessions.Chunk(Amp, session.Id, i), TestContext.Current.CancellationToken);
        }

        session = (await new SessionCatalog(clients).GetAsync(session.Id, TestContext.Current.CancellationToken))!;
        var reader = new SignalWindowReader(store);

        var window = await reader.ReadAsync(session, 150, 480, [5, 0], TestContext.Current.CancellationToken);

        for (var i = 0; i < 480; i++)
        {
            Assert.Equal((float)Amp.Sample(5, 150 + i), (float)window.Data[0][i]);
            Assert.Equal((float)Amp.Sample(0, 150 + i), (float)window.Data[1][i]);
        }

        Assert.Equal(Amp.EventsBetween(150, 630), window.Events);
    }

    [Fact]
    public async Task ReadAsync_MissingChunk_IsAGapNotZeros()
    {
        var (clients, store, ingest, session) = await SetUpAsync();
        foreach (var i in new[] { 0, 1, 2 })
        {
            await ingest.AppendAsync(TestSessions.Chunk(Amp, session.Id, i), TestContext.Current.CancellationToken);
        }

        await clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 1)).DeleteAsync(cancellationToken: TestContext.Current.CancellationToken);
        session = (await new SessionCatalog(clients).GetAsync(session.Id, TestContext.Current.CancellationToken))!;

        var ex = await Assert.ThrowsAsync<MissingChunkException>(() => new SignalWindowReader(store).ReadAsync(session, 0, 600, [0], TestContext.Current.CancellationToken));
        Assert.Equal(1, ex.Sequence);
    }

    [Fact]
    public async Task ChunkCache_ServesVerifiedChunksAgainWithoutStorage_NeverCachesADamagedOne()
    {
        var (clients, store, ingest, session) = await SetUpAsync();
        foreach (var i in Enumerable.Range(0, 3))
        {
            await ingest.AppendAsync(TestSessions.Chunk(Amp, session.Id, i), TestContext.Current.CancellationToken);
        }

        session = (await new SessionCatalog(clients).GetAsync(session.Id, TestContext.Current.CancellationToken))!;
        using var cache = new ChunkCache(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ChunkCacheMegabytes = 1 }));
        var reader = new SignalWindowReader(store, cache);

        // Damage chunk 2 before anything read it: the read fails, and keeps failing (nothing cached).
        var damaged = clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 2));
        var bytes = (await damaged.DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToArray();
        bytes[^10] ^= 0xFF;
        await damaged.UploadAsync(new BinaryData(bytes), overwrite: true, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<CorruptChunkException>(() => reader.ReadAsync(session, 0, 600, [0], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<CorruptChunkException>(() => reader.ReadAsync(session, 400, 200, [0], TestContext.Current.CancellationToken));

        // Chunks 0 and 1, verified once, are served from memory even after their blobs are gone (a stored chunk never
        // changes once verified); a reader without the cache goes to storage and finds the gap.
        var first = await reader.ReadAsync(session, 0, 400, [0, 3], TestContext.Current.CancellationToken);
        await clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 0)).DeleteAsync(cancellationToken: TestContext.Current.CancellationToken);
        await clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 1)).DeleteAsync(cancellationToken: TestContext.Current.CancellationToken);
        var again = await reader.ReadAsync(session, 0, 400, [0, 3], TestContext.Current.CancellationToken);
        Assert.Equal(first.Data[0], again.Data[0]);
        Assert.Equal(first.Data[1], again.Data[1]);
        Assert.Equal(first.Events, again.Events);
        await Assert.ThrowsAsync<MissingChunkException>(() => new SignalWindowReader(store).ReadAsync(session, 0, 400, [0], TestContext.Current.CancellationToken));
    }
}

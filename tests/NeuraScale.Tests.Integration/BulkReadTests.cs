using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Formats;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The bulk read path on Azurite: chunks streamed in order with read-ahead, the .npy file, a damaged chunk mid-way.</summary>
public class BulkReadTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SimulatedAmplifier Amp = new(new SimulatorOptions { ChannelCount = 6, SamplingRateHz = 200, Seed = 11 });

    private async Task<(StorageClients Clients, BulkDataService Bulk, SignalWindowReader Reader, RecordingSession Session, Caller Caller)> SetUpAsync(long maxBulkValues = 250_000_000)
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var store = new SignalStore(clients);
        var session = await TestSessions.StoreAsync(new SessionIngestService(catalog, store), catalog, Amp, 25, Ct);
        var reader = new SignalWindowReader(store);
        var options = Options.Create(new NeuralDataOptions { MaxBulkValues = maxBulkValues });
        var neuralData = new NeuralDataService(catalog, new SignalBlockReader(reader), options);
        var caller = new Caller("key_test", "test", new HashSet<string> { "reader" }, new HashSet<string> { Permissions.NeuralDataRead }, null);
        return (clients, new BulkDataService(neuralData, reader, options), reader, session, caller);
    }

    [Fact]
    public async Task ReadChunksAsync_YieldsEveryChunkInOrder()
    {
        var (_, _, reader, session, _) = await SetUpAsync();

        var sequences = new List<long>();
        await foreach (var chunk in reader.ReadChunksAsync(session, 3, 21, Ct))
        {
            sequences.Add(chunk.Sequence);
        }

        Assert.Equal(Enumerable.Range(3, 19).Select(i => (long)i), sequences);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var _ in reader.ReadChunksAsync(session, 0, 25, Ct))
            {
            }
        });
    }

    [Fact]
    public async Task WriteNpyAsync_AWindowAcrossChunks_HoldsTheStoredSamplesSampleAfterSample()
    {
        var (_, bulk, reader, session, caller) = await SetUpAsync();
        var window = await bulk.ResolveAsync(session.Id.Value, ["C3", "0", "5"], 1.255, 7.5, caller, Ct);
        Assert.Equal(251, window.FirstSample); // 1.255 s × 200 Hz = 251
        Assert.Equal(1500, window.EndSample);

        using var file = new MemoryStream();
        await bulk.WriteNpyAsync(window, file, Ct);
        var bytes = file.ToArray();
        Assert.Equal(window.ContentLength, bytes.Length);
        Assert.Equal(0, window.Header.Length % 64);
        Assert.Contains("'fortran_order': True, 'shape': (3, 1249)", System.Text.Encoding.ASCII.GetString(window.Header), StringComparison.Ordinal);

        // Against the window reader (another path through the same chunks): value (c, s) at c + s·3.
        var expected = await reader.ReadAsync(session, 251, 1249, window.Channels, Ct);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(window.Header.Length));
        for (var c = 0; c < 3; c++)
        {
            for (var s = 0; s < 1249; s++)
            {
                Assert.Equal((float)expected.Data[c][s], values[c + (s * 3)]);
            }
        }
    }

    [Fact]
    public async Task WriteNpyAsync_ADamagedChunkMidway_FailsRatherThanServingIt()
    {
        var (clients, bulk, _, session, caller) = await SetUpAsync();
        var blob = clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 12));
        var stored = (await blob.DownloadContentAsync(Ct)).Value.Content.ToArray();
        stored[stored.Length / 2] ^= 0x10;
        await blob.UploadAsync(new BinaryData(stored), overwrite: true, Ct);

        var window = await bulk.ResolveAsync(session.Id.Value, null, null, null, caller, Ct);
        using var file = new MemoryStream();
        var error = await Assert.ThrowsAsync<CorruptChunkException>(() => bulk.WriteNpyAsync(window, file, Ct));
        Assert.Contains("Chunk 12", error.Message, StringComparison.Ordinal);
        Assert.True(file.Length < window.ContentLength, "a damaged window must not be written whole");
    }

    [Theory]
    [InlineData(new[] { "T9" }, null, null, "T9")]
    [InlineData(null, 30.0, null, "start_time must be from 0 up to (not including) the recorded duration, 25 s")]
    [InlineData(null, 5.0, 5.0, "end_time (5) must be greater than start_time (5)")]
    [InlineData(null, null, null, "more than the 10,000 values one bulk read may return; ask for at most 8.3 s of these channels")]
    public async Task ResolveAsync_BadRequests_SayWhatIsAllowed(string[]? channels, double? start, double? end, string expected)
    {
        var (_, bulk, _, session, caller) = await SetUpAsync(maxBulkValues: 10_000);

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => bulk.ResolveAsync(session.Id.Value, channels, start, end, caller, Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_AnotherPatientsSession_LooksMissing()
    {
        var (_, bulk, _, session, _) = await SetUpAsync();
        var scoped = new Caller("key_other", "other", new HashSet<string> { "researcher" }, new HashSet<string> { Permissions.NeuralDataRead }, new HashSet<PatientPseudonym> { PatientPseudonym.New() });

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => bulk.ResolveAsync(session.Id.Value, null, null, null, scoped, Ct));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}

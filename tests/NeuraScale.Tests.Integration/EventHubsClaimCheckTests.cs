using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Chunks larger than one event (a second of 64 ch × 5 kHz is 1.28 MB, of 64 ch × 4,096 Hz just over 1 MB; Standard
/// Event Hubs takes 1 MB): the relay stores them itself and sends references (the claim-check), the Capture ingest resolves each
/// against storage and checks it is the chunk referenced — the session is the one the Blob sink would store; a
/// reference whose chunk is missing or different is quarantined with the reason.
/// </summary>
public sealed class EventHubsClaimCheckTests(AzuriteFixture azurite) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _spoolDir = Directory.CreateTempSubdirectory("claim-check-spool-").FullName;
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => Directory.Delete(_spoolDir, recursive: true);

    private ServiceProvider Services()
    {
        var options = azurite.IsolatedOptions();
        StorageServiceCollectionExtensions.CreateClients(options).EnsureCreatedAsync(Ct).GetAwaiter().GetResult();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(options)).Build();
        return new ServiceCollection().AddLogging(l => l.AddProvider(_logs)).AddNeuraScaleStorage(configuration).BuildServiceProvider();
    }

    private RecordingRelay Relay(SimulatedAmplifier amp, IChunkSink sink, double seconds) => new(
        amp, sink, new DiskSpool(_spoolDir),
        Options.Create(new RelayOptions { SpoolDirectory = _spoolDir, DurationSeconds = seconds, Patient = PatientPseudonym.New().Value, RetryDelaySeconds = 0.01 }),
        TimeProvider.System, NullLogger<RecordingRelay>.Instance);

    [Theory]
    [InlineData(64, 5000)]
    [InlineData(64, 4096)] // 1,048,576 bytes of samples: just over the limit with the chunk's header
    public async Task ChunksTooLargeForAnEvent_TravelAsReferences_AndIngestToTheSessionTheBlobSinkGives(int channels, int rateHz)
    {
        await using var services = Services();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = channels, SamplingRateHz = rateHz, Speed = 10_000, Seed = 5 });
        var hub = new FakeEventHub();
        // Capture is the only way into the catalog here (no live mirror): the relay stores only the chunks themselves.
        var sink = new EventHubsChunkSink(new ChunkEventPublisher(hub, services.GetRequiredService<ChunkClaimCheck>()));

        var session = await Relay(amp, sink, 3).RunAsync(Ct);

        Assert.Empty(new DiskSpool(_spoolDir).PendingSequences());
        var references = hub.Accepted.Where(e => (string)e.Properties[ChunkEvents.KindProperty] == ChunkEvents.ChunkReferenceKind).ToList();
        Assert.Equal(3, references.Count);
        Assert.DoesNotContain(hub.Accepted, e => (string)e.Properties[ChunkEvents.KindProperty] == ChunkEvents.ChunkKind);
        Assert.All(references, r => Assert.True(r.EventBody.ToMemory().Length < 512, $"a reference is {r.EventBody.ToMemory().Length} bytes"));
        var catalog = services.GetRequiredService<SessionCatalog>();
        Assert.Null(await catalog.GetAsync(session.Id, Ct));

        var streams = services.GetRequiredService<StreamStore>();
        await streams.UploadCaptureAsync("ns/neural-chunks/3/wide.avro", new MemoryStream(CaptureFiles.Write(hub.Accepted)), Ct);
        var result = await services.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/3/wide.avro", Ct);

        // The relay stored the three chunks; the ingest found each where its reference said, as referenced.
        Assert.Equal(new CaptureIngestResult(5, 0, 3, 0, null), result);
        var stored = (await catalog.GetAsync(session.Id, Ct))!;
        Assert.Equal((3L * rateHz, SessionStatus.Completed), (stored.SampleCount, stored.Status));
        var picked = new[] { 0, channels / 2, channels - 1 };
        var window = await services.GetRequiredService<SignalWindowReader>().ReadAsync(stored, 0, 3 * rateHz, picked, Ct);
        for (var i = 0; i < picked.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, 3 * rateHz).Select(s => (float)amp.Sample(picked[i], s)), window.Data[i].Select(v => (float)v));
        }
    }

    [Fact]
    public async Task ABacklogOfLargeChunks_GoesAsManyReferencesPerBatch_EachStoredBeforeItsReferenceIsSent()
    {
        await using var services = Services();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Seed = 9 });
        var id = SessionId.New();
        var chunks = Enumerable.Range(0, 8).Select(k =>
        {
            var samples = new float[64 * 5000];
            amp.Generate(k * 5000L, 5000, samples);
            return new SignalChunk(id, k, k * 5000L, 5000, 64, samples, []);
        }).ToList();
        var store = services.GetRequiredService<SignalStore>();
        var hub = new StoredBeforeSent(store, id);
        var publisher = new ChunkEventPublisher(hub, services.GetRequiredService<ChunkClaimCheck>()); // the seam has no connection to close

        var sent = await publisher.PublishChunksAsync(chunks, Ct);

        Assert.Equal(8, sent);
        var batch = Assert.Single(hub.Batches);
        Assert.Equal(8, batch.Events.Count); // 10 MB of signal as one 3 kB batch of references
        Assert.Equal(8, hub.StoredAtSend);
        Assert.Equal(Enumerable.Range(0, 8).Select(k => (long)k), await store.ListChunkSequencesAsync(id, Ct));
    }

    /// <summary>The hub seam, noting how many of the session's chunks storage held when the batch was sent.</summary>
    private sealed class StoredBeforeSent(SignalStore store, SessionId id) : FakeEventHub
    {
        public int StoredAtSend { get; private set; }

        public override async Task SendAsync(Azure.Messaging.EventHubs.Producer.EventDataBatch eventBatch, CancellationToken cancellationToken = default)
        {
            StoredAtSend = (await store.ListChunkSequencesAsync(id, cancellationToken)).Count;
            await base.SendAsync(eventBatch, cancellationToken);
        }
    }

    [Fact]
    public async Task WithTheLiveMirror_AClaimCheckedRecording_IsListedWhileItRecords_AndCaptureChangesNothing()
    {
        await using var services = Services();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Speed = 10_000, Seed = 6 });
        var hub = new FakeEventHub();
        var sink = new EventHubsChunkSink(new ChunkEventPublisher(hub, services.GetRequiredService<ChunkClaimCheck>()), services.GetRequiredService<StreamIngestService>());

        var session = await Relay(amp, sink, 2).RunAsync(Ct);

        var catalog = services.GetRequiredService<SessionCatalog>();
        Assert.Equal((10_000L, SessionStatus.Completed), ((await catalog.GetAsync(session.Id, Ct))!.SampleCount, (await catalog.GetAsync(session.Id, Ct))!.Status));
        await services.GetRequiredService<StreamStore>().UploadCaptureAsync("ns/neural-chunks/4/late.avro", new MemoryStream(CaptureFiles.Write(hub.Accepted)), Ct);
        var result = await services.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/4/late.avro", Ct);
        Assert.Equal(new CaptureIngestResult(4, 0, 2, 0, null), result);
    }

    [Fact]
    public async Task AReferenceWhoseChunkIsDamagedMissingOrDifferent_IsQuarantinedWithTheReason_TheRestIngests()
    {
        await using var services = Services();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Seed = 7 });
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
            Channels = amp.Device.Channels, SamplingRateHz = 5000, StartTime = DateTimeOffset.UtcNow,
        };
        SignalChunk Chunk(long k, ulong seed)
        {
            var samples = new float[64 * 5000];
            new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Seed = seed }).Generate(k * 5000, 5000, samples);
            return new SignalChunk(session.Id, k, k * 5000, 5000, 64, samples, []);
        }

        var claimCheck = services.GetRequiredService<ChunkClaimCheck>();
        var chunks = Enumerable.Range(0, 4).Select(k => Chunk(k, 7)).ToList();
        await claimCheck.StoreAsync(chunks[0], Ct);
        // Chunk 1 is damaged in storage (a bit flipped after the relay's upload).
        var bytes = ChunkCodec.Encode(chunks[1]);
        bytes[5000] ^= 0x10;
        await services.GetRequiredService<StorageClients>().SignalsContainer.GetBlobClient(ChunkNaming.Chunk(session.Id, 1)).UploadAsync(new BinaryData(bytes), Ct);
        // Chunk 2 was never stored (the relay's upload was lost, or the blob deleted); another chunk sits under 3's name.
        await claimCheck.StoreAsync(Chunk(3, 8), Ct);
        var events = new List<EventData> { ChunkEvents.ForOpen(session) };
        events.AddRange(chunks.Select(c => ChunkEvents.ForChunkReference(ChunkClaimCheck.Reference(c))));
        await services.GetRequiredService<StreamStore>().UploadCaptureAsync("ns/neural-chunks/5/refs.avro", new MemoryStream(CaptureFiles.Write(events)), Ct);

        var result = await services.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/5/refs.avro", Ct);

        Assert.Equal((5, 1, 3), (result.Events, result.ChunksAlreadyStored, result.Quarantined));
        var prefix = "Quarantined event {0} of capture file ns/neural-chunks/5/refs.avro: ";
        Assert.Contains(_logs.Lines, l => l.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, prefix, 2) + $"The claim-checked chunk 1 of {session.Id.Value} is damaged in storage", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, prefix, 3) + $"The claim-checked chunk 2 of {session.Id.Value} is not in storage", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, prefix, 4) + $"The stored chunk 3 of {session.Id.Value} is not the one referenced", StringComparison.Ordinal));
        Assert.Equal(3, (await services.GetRequiredService<StreamStore>().ListQuarantineAsync("ns/neural-chunks/5/refs.avro", Ct)).Count);
        // Only chunk 0 counts: the damaged copy of 1 is never served, and the session waits for a good one.
        Assert.Equal((5000L, SessionStatus.Recording), ((await services.GetRequiredService<SessionCatalog>().GetAsync(session.Id, Ct))!.SampleCount, (await services.GetRequiredService<SessionCatalog>().GetAsync(session.Id, Ct))!.Status));

        // The relay's resend stores a good copy of 1 (the damaged one is repaired) and its reference resolves.
        Assert.Equal(ChunkWriteOutcome.Repaired, await claimCheck.StoreAsync(chunks[1], Ct));
        await services.GetRequiredService<StreamStore>().UploadCaptureAsync("ns/neural-chunks/5/resend.avro", new MemoryStream(CaptureFiles.Write([events[2]])), Ct);
        Assert.Equal(0, (await services.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/5/resend.avro", Ct)).Quarantined);
        Assert.Equal(10_000L, (await services.GetRequiredService<SessionCatalog>().GetAsync(session.Id, Ct))!.SampleCount);
    }
}

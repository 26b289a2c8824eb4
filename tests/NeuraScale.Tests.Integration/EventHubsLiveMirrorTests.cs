using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Live data on the Event Hubs path: what the hub acknowledged is mirrored into storage through the order-independent
/// ingest, so a recording is listed and grows while it records (Capture's window is a minute or more); the Capture
/// ingest of the same events later finds every chunk stored and changes nothing.
/// </summary>
public sealed class EventHubsLiveMirrorTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ARecordingSentToEventHubs_IsListedAndGrowsWhileItRecords_AndCaptureLaterChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(options).EnsureCreatedAsync(ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(options)).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var catalog = provider.GetRequiredService<SessionCatalog>();
        var hub = new FakeEventHub();
        var sink = new Watched(new EventHubsChunkSink(new ChunkEventPublisher(hub), provider.GetRequiredService<StreamIngestService>()), catalog);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Speed = 10_000, Seed = 17 });
        var spool = Directory.CreateTempSubdirectory("mirror-spool-").FullName;
        var relay = new RecordingRelay(amp, sink, new DiskSpool(spool),
            Options.Create(new RelayOptions { SpoolDirectory = spool, DurationSeconds = 8, Patient = PatientPseudonym.New().Value, RetryDelaySeconds = 0.01 }), TimeProvider.System, NullLogger<RecordingRelay>.Instance);

        var session = await relay.RunAsync(ct);

        // What the catalog said right after the relay opened the session and after each send the hub acknowledged,
        // before the close: listed at once, and growing with every send.
        Assert.Equal((0L, SessionStatus.Recording), sink.AfterOpen);
        Assert.NotEmpty(sink.AfterSends);
        Assert.All(sink.AfterSends, s => Assert.Equal(SessionStatus.Recording, s.Status));
        Assert.Equal(sink.SentSamples, sink.AfterSends.Select(s => s.SampleCount));
        var done = (await catalog.GetAsync(session.Id, ct))!;
        Assert.Equal((2000L, SessionStatus.Completed), (done.SampleCount, done.Status));

        // Capture delivers the same events a minute later: all already stored; nothing changes.
        var streams = provider.GetRequiredService<StreamStore>();
        await streams.UploadCaptureAsync("ns/neural-chunks/0/late.avro", new MemoryStream(CaptureFiles.Write(hub.Accepted)), ct);
        var result = await provider.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/0/late.avro", ct);
        Assert.Equal((10, 0, 8, 0), (result.Events, result.ChunksStored, result.ChunksAlreadyStored, result.Quarantined));
        var after = (await catalog.GetAsync(session.Id, ct))!;
        Assert.Equal((done.SampleCount, done.EventCount, done.Status), (after.SampleCount, after.EventCount, after.Status));
    }

    /// <summary>The sink under test, with a look at the catalog after each of its steps.</summary>
    private sealed class Watched(IChunkSink inner, SessionCatalog catalog) : IChunkSink
    {
        private long _sent;

        public (long, SessionStatus)? AfterOpen { get; private set; }
        public List<(long SampleCount, SessionStatus Status)> AfterSends { get; } = [];
        public List<long> SentSamples { get; } = [];

        public async Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default)
        {
            await inner.OpenSessionAsync(session, cancellationToken);
            var now = (await catalog.GetAsync(session.Id, cancellationToken))!;
            AfterOpen = (now.SampleCount, now.Status);
        }

        public Task WriteChunkAsync(NeuraScale.Formats.SignalChunk chunk, CancellationToken cancellationToken = default) => WriteChunksAsync([chunk], cancellationToken);

        public async Task<int> WriteChunksAsync(IReadOnlyList<NeuraScale.Formats.SignalChunk> chunks, CancellationToken cancellationToken = default)
        {
            var taken = await inner.WriteChunksAsync(chunks, cancellationToken);
            _sent += chunks.Take(taken).Sum(c => (long)c.SampleCount);
            SentSamples.Add(_sent);
            var now = (await catalog.GetAsync(chunks[0].SessionId, cancellationToken))!;
            AfterSends.Add((now.SampleCount, now.Status));
            return taken;
        }

        public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default) => inner.CloseSessionAsync(sessionId, status, cancellationToken);

        public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, long sampleCount, CancellationToken cancellationToken = default) => inner.CloseSessionAsync(sessionId, status, sampleCount, cancellationToken);
    }

    [Fact]
    public async Task ATraceFollowsAChunk_FromTheRelaysSendToItsIngest()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name is "NeuraScale.Relay" or "NeuraScale.Ingest",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var options = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(options).EnsureCreatedAsync(ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(options)).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var hub = new FakeEventHub();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = 250, Speed = 10_000, Seed = 2 });
        var spool = Directory.CreateTempSubdirectory("trace-spool-").FullName;
        var session = await new RecordingRelay(amp, new EventHubsChunkSink(new ChunkEventPublisher(hub)), new DiskSpool(spool),
            Options.Create(new RelayOptions { SpoolDirectory = spool, DurationSeconds = 3, Patient = PatientPseudonym.New().Value }), TimeProvider.System, NullLogger<RecordingRelay>.Instance).RunAsync(ct);

        var streams = provider.GetRequiredService<StreamStore>();
        await streams.UploadCaptureAsync("ns/neural-chunks/0/traced.avro", new MemoryStream(CaptureFiles.Write(hub.Accepted)), ct);
        await provider.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/0/traced.avro", ct);

        var published = spans.Where(s => s.OperationName == "publish chunks" && (string?)s.GetTagItem("session.id") == session.Id.Value).ToArray();
        var ingested = Assert.Single(spans, s => s.OperationName == "ingest chunks" && (string?)s.GetTagItem("session.id") == session.Id.Value);
        Assert.NotEmpty(published);
        Assert.All(hub.Accepted.Where(e => (string)e.Properties[ChunkEvents.KindProperty] == ChunkEvents.ChunkKind), e => Assert.True(e.Properties.ContainsKey(ChunkEvents.TraceParentProperty)));
        // The ingest's span links to every send that carried its chunks: trace and span ids as the relay made them.
        Assert.Equal(published.Select(p => $"{p.TraceId}/{p.SpanId}").Order(), ingested.Links.Select(l => $"{l.Context.TraceId}/{l.Context.SpanId}").Order());
    }
}

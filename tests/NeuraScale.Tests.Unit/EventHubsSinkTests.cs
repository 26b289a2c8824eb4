using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

/// <summary>
/// The relay's Event Hubs sink over the real SDK types (EventData, EventDataBatch with the hub's size limit, the
/// producer's API), with the hub itself faked at the one seam that has no local emulator: the events are the chunk
/// layout, partitioned by session, in order; an outage loses nothing (the spool keeps it and drains in full batches).
/// </summary>
public sealed class EventHubsSinkTests : IDisposable
{
    private readonly string _spoolDir = Directory.CreateTempSubdirectory("eh-sink-").FullName;
    private readonly SimulatedAmplifier _amp = new(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 1000, Speed = 10_000, Seed = 3 });

    public void Dispose() => Directory.Delete(_spoolDir, recursive: true);

    private RecordingRelay Relay(IChunkSink sink, double seconds) => new(
        _amp,
        sink,
        new DiskSpool(_spoolDir),
        Options.Create(new RelayOptions { SpoolDirectory = _spoolDir, DurationSeconds = seconds, Patient = PatientPseudonym.New().Value, RetryDelaySeconds = 0.01, MaxRetryDelaySeconds = 0.05 }),
        TimeProvider.System,
        NullLogger<RecordingRelay>.Instance);

    [Fact]
    public async Task ASession_IsOpenThenEveryChunkInOrderThenClose_OnePartitionKey_ChunksAsStored()
    {
        var hub = new FakeEventHub();
        var session = await Relay(new EventHubsChunkSink(new ChunkEventPublisher(hub)), 6).RunAsync(TestContext.Current.CancellationToken);

        Assert.All(hub.Batches, b => Assert.Equal(session.Id.Value, b.PartitionKey));
        var events = hub.Batches.SelectMany(b => b.Events).Select(e => ChunkEvents.Parse(e.EventBody.ToArray(), e.Properties.ToDictionary(p => p.Key, p => (object?)p.Value))).ToList();
        Assert.IsType<SessionOpened>(events[0]);
        Assert.Equal(session.Id, ((SessionOpened)events[0]).Session.Id);
        Assert.Equal(new SessionClosed(session.Id, SessionStatus.Completed, 6000), events[^1]);
        var chunks = events.OfType<ChunkArrived>().Select(c => c.Chunk).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), chunks.Select(c => c.Sequence));
        foreach (var chunk in chunks)
        {
            var truth = new float[64 * 1000];
            _amp.Generate(chunk.FirstSample, 1000, truth);
            Assert.Equal(truth, chunk.Samples.ToArray());
        }

        // 64 ch × 1 kHz is 256 kB a second: at most 4 chunks fit the 1 MB batch.
        Assert.All(hub.Batches, b => Assert.True(b.Bytes <= FakeEventHub.MaximumBatchBytes));
    }

    [Fact]
    public async Task AnOutageOfTheHub_LosesNothing_TheSpoolDrainsAfterwardsInFullBatches()
    {
        // The hub is down until the whole recording is in the spool (the relay keeps retrying meanwhile).
        var spool = new DiskSpool(_spoolDir);
        var hub = new FakeEventHub { DownWhile = () => spool.Load() is not { InputComplete: true } };
        var session = await Relay(new EventHubsChunkSink(new ChunkEventPublisher(hub)), 20).RunAsync(TestContext.Current.CancellationToken);

        Assert.True(hub.Failures > 0);
        var chunks = hub.Batches.SelectMany(b => b.Events).Where(e => (string)e.Properties[ChunkEvents.KindProperty] == ChunkEvents.ChunkKind).Select(e => ChunkCodec.Decode(e.EventBody.ToArray())).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), chunks.Select(c => c.Sequence)); // each once, in order
        // The backlog of 20 chunks of 256 kB went four to a 1 MB batch: five batches after the open.
        Assert.Equal([1, 4, 4, 4, 4, 4, 1], hub.Batches.Select(b => b.Events.Count));
        Assert.Empty(new DiskSpool(_spoolDir).PendingSequences());
        Assert.Equal(session.Id.Value, hub.Batches[^1].PartitionKey);
    }

    [Fact]
    public async Task WithoutAClaimCheck_AChunkLargerThanTheHubAccepts_IsRefusedWithWhatToDo_AndStaysSpooled()
    {
        var wide = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Speed = 10_000, Seed = 3 });
        var hub = new FakeEventHub();
        var relay = new RecordingRelay(wide, new EventHubsChunkSink(new ChunkEventPublisher(hub)), new DiskSpool(_spoolDir),
            Options.Create(new RelayOptions { SpoolDirectory = _spoolDir, DurationSeconds = 2, Patient = PatientPseudonym.New().Value, RetryDelaySeconds = 0.01 }), TimeProvider.System, NullLogger<RecordingRelay>.Instance);

        var error = await Assert.ThrowsAsync<EventTooLargeException>(() => relay.RunAsync(TestContext.Current.CancellationToken));

        Assert.True(error.Message.Contains("the event hub accepts at most 1,048,576 per batch", StringComparison.Ordinal), error.Message);
        Assert.Contains("64 channels at 5000 Hz does not fit one event: turn EventHubs:ClaimCheck on", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(new DiskSpool(_spoolDir).PendingSequences()); // nothing lost: the spool still has it
    }

    [Fact]
    public void ParsingRefusesWhatIsNotOurs_WithTheReason()
    {
        var chunk = new SignalChunk(SessionId.New(), 0, 0, 10, 1, new float[10], []);
        var good = ChunkEvents.ForChunk(chunk);
        var body = good.EventBody.ToArray();
        var properties = good.Properties.ToDictionary(p => p.Key, p => (object?)p.Value);

        Assert.Equal(chunk.Sequence, Assert.IsType<ChunkArrived>(ChunkEvents.Parse(body, properties)).Chunk.Sequence);
        var damaged = (byte[])body.Clone();
        damaged[^10] ^= 0xFF;
        Assert.Contains("damaged", Assert.Throws<FormatException>(() => ChunkEvents.Parse(damaged, properties)).Message, StringComparison.Ordinal);
        Assert.Contains("has no 'ns-kind'", Assert.Throws<FormatException>(() => ChunkEvents.Parse(body, new Dictionary<string, object?>())).Message, StringComparison.Ordinal);
        var other = new Dictionary<string, object?>(properties) { [ChunkEvents.SessionProperty] = SessionId.New().Value };
        Assert.Contains("but its chunk belongs to", Assert.Throws<FormatException>(() => ChunkEvents.Parse(body, other)).Message, StringComparison.Ordinal);
        var unknown = new Dictionary<string, object?>(properties) { [ChunkEvents.KindProperty] = "telemetry" };
        Assert.Contains("Unknown event kind 'telemetry'", Assert.Throws<FormatException>(() => ChunkEvents.Parse(body, unknown)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClaimCheckReference_ReadsBack_AndOneNamingAnotherPlaceOrWithoutAHash_IsRefused()
    {
        var chunk = new SignalChunk(SessionId.New(), 4, 40, 10, 1, new float[10], []);
        var reference = ChunkClaimCheck.Reference(chunk);
        var data = ChunkEvents.ForChunkReference(reference);
        var properties = data.Properties.ToDictionary(p => p.Key, p => (object?)p.Value);

        Assert.Equal(reference, ChunkEvents.Parse(data.EventBody.ToArray(), properties));
        Assert.Equal(64, reference.Sha256.Length);
        var elsewhere = System.Text.Encoding.UTF8.GetBytes(data.EventBody.ToString().Replace("/chunks/0000000004", "/chunks/0000000005", StringComparison.Ordinal));
        Assert.Contains("not the place of chunk 4", Assert.Throws<FormatException>(() => ChunkEvents.Parse(elsewhere, properties)).Message, StringComparison.Ordinal);
        var unhashed = System.Text.Encoding.UTF8.GetBytes(data.EventBody.ToString().Replace(reference.Sha256, "abc", StringComparison.Ordinal));
        Assert.Contains("64-digit hex SHA-256", Assert.Throws<FormatException>(() => ChunkEvents.Parse(unhashed, properties)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClient_RetriesExponentially_OverAmqpOn5671_OrOverWebSocketsOn443WhenAsked()
    {
        var tcp = ChunkEventPublisher.ClientOptions(new EventHubsOptions { MaxRetries = 5 });
        Assert.Equal((EventHubsRetryMode.Exponential, 5, EventHubsTransportType.AmqpTcp), (tcp.RetryOptions.Mode, tcp.RetryOptions.MaximumRetries, tcp.ConnectionOptions.TransportType));
        var web = ChunkEventPublisher.ClientOptions(new EventHubsOptions { UseWebSockets = true });
        Assert.Equal(EventHubsTransportType.AmqpWebSockets, web.ConnectionOptions.TransportType);
    }
}

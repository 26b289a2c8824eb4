using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;

namespace NeuraScale.Tests.Unit;

public sealed class RecordingRelayTests : IDisposable
{
    private readonly string _spoolDir = Directory.CreateTempSubdirectory("relay-test-").FullName;
    private readonly SimulatedAmplifier _amp = new(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = 250, Speed = 10_000, Seed = 11 });

    public void Dispose() => Directory.Delete(_spoolDir, recursive: true);

    private RecordingRelay Relay(IChunkSink sink, double seconds) => new(
        _amp,
        sink,
        new DiskSpool(_spoolDir),
        Options.Create(new RelayOptions { SpoolDirectory = _spoolDir, DurationSeconds = seconds, Patient = PatientPseudonym.New().Value, RetryDelaySeconds = 0.01 }),
        TimeProvider.System,
        NullLogger<RecordingRelay>.Instance);

    private void AssertGroundTruth(SignalChunk chunk)
    {
        for (var c = 0; c < chunk.ChannelCount; c++)
        {
            for (var i = 0; i < chunk.SampleCount; i++)
            {
                Assert.Equal((float)_amp.Sample(c, chunk.FirstSample + i), chunk.Channel(c)[i]);
            }
        }

        Assert.Equal(_amp.EventsBetween(chunk.FirstSample, chunk.FirstSample + chunk.SampleCount), chunk.Events);
    }

    [Fact]
    public async Task RunAsync_RecordsDuration_AsContiguousOneSecondChunksOfGroundTruth()
    {
        var sink = new RecordingSink();

        var session = await Relay(sink, 10).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), sink.Chunks.Select(c => c.Sequence));
        Assert.All(sink.Chunks, c => Assert.Equal(c.Sequence * 250, c.FirstSample));
        Assert.All(sink.Chunks, c => Assert.Equal(250, c.SampleCount));
        Assert.All(sink.Chunks, AssertGroundTruth);
        Assert.Equal(session.Id, sink.Opened!.Id);
        Assert.Equal((session.Id, SessionStatus.Completed), sink.Closed);
        Assert.Empty(new DiskSpool(_spoolDir).PendingSequences());
        Assert.Null(new DiskSpool(_spoolDir).Load());
    }

    [Fact]
    public async Task RunAsync_DurationNotWholeSeconds_EndsWithPartialChunk()
    {
        var sink = new RecordingSink();

        await Relay(sink, 2.5).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal([250, 250, 125], sink.Chunks.Select(c => c.SampleCount));
        AssertGroundTruth(sink.Chunks[2]);
    }

    [Fact]
    public async Task RunAsync_AfterCrash_SendsSpooledChunksAndResumesAtFirstUnspooledSample()
    {
        // A previous run sent chunk 0, spooled 1 and 2 (state saved), spooled 3 and died before saving the state.
        var spool = new DiskSpool(_spoolDir);
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = _amp.Device.Id, DeviceModel = _amp.Device.Model,
            Modality = Modality.EEG, Channels = _amp.Device.Channels, SamplingRateHz = 250, StartTime = DateTimeOffset.UnixEpoch,
        };
        spool.Save(new SpoolState { Session = session, NextSequence = 3, UntilSample = 6 * 250 });
        foreach (var sequence in new long[] { 1, 2, 3 })
        {
            var samples = new float[4 * 250];
            _amp.Generate(sequence * 250, 250, samples);
            spool.Write(new SignalChunk(session.Id, sequence, sequence * 250, 250, 4, samples, _amp.EventsBetween(sequence * 250, (sequence + 1) * 250)));
        }

        var sink = new RecordingSink();
        var resumed = await Relay(sink, 6).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(session.Id, resumed.Id);
        Assert.Equal([1L, 2, 3, 4, 5], sink.Chunks.Select(c => c.Sequence));
        Assert.All(sink.Chunks, AssertGroundTruth);
        Assert.Equal(SessionStatus.Completed, sink.Closed!.Value.Status);
    }

    [Fact]
    public async Task RunAsync_SinkFailsTransiently_RetriesAndDeliversEverythingInOrder()
    {
        var sink = new RecordingSink { FailuresBeforeSuccess = 3 };

        await Relay(sink, 4).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal([0L, 1, 2, 3], sink.Chunks.Select(c => c.Sequence));
        Assert.Equal(3, sink.Failures);
    }

    [Fact]
    public async Task RunAsync_StopRequested_KeepsWhatWasRecordedAndCompletes()
    {
        var slow = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = 250, Speed = 50, Seed = 11 });
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();
        sink.OnChunk = c => { if (c.Sequence == 2) { stop.Cancel(); } };
        var relay = new RecordingRelay(slow, sink, new DiskSpool(_spoolDir),
            Options.Create(new RelayOptions { SpoolDirectory = _spoolDir, Patient = PatientPseudonym.New().Value }), TimeProvider.System, NullLogger<RecordingRelay>.Instance);

        await relay.RunAsync(stop.Token);

        Assert.True(sink.Chunks.Count >= 3);
        Assert.Equal(Enumerable.Range(0, sink.Chunks.Count).Select(i => (long)i), sink.Chunks.Select(c => c.Sequence));
        Assert.Equal(SessionStatus.Completed, sink.Closed!.Value.Status);
    }

    /// <summary>A sink that keeps what it receives (the Event Hubs / Blob seam, faked for unit tests).</summary>
    private sealed class RecordingSink : IChunkSink
    {
        public RecordingSession? Opened { get; private set; }
        public List<SignalChunk> Chunks { get; } = [];
        public (SessionId Id, SessionStatus Status)? Closed { get; private set; }
        public int FailuresBeforeSuccess { get; init; }
        public int Failures { get; private set; }
        public Action<SignalChunk>? OnChunk { get; set; }

        public Task OpenSessionAsync(RecordingSession session, CancellationToken cancellationToken = default)
        {
            Opened = session;
            return Task.CompletedTask;
        }

        public Task WriteChunkAsync(SignalChunk chunk, CancellationToken cancellationToken = default)
        {
            if (Failures < FailuresBeforeSuccess)
            {
                Failures++;
                throw new IOException("sink unavailable");
            }

            Chunks.Add(chunk);
            OnChunk?.Invoke(chunk);
            return Task.CompletedTask;
        }

        public Task CloseSessionAsync(SessionId sessionId, SessionStatus status, CancellationToken cancellationToken = default)
        {
            Closed = (sessionId, status);
            return Task.CompletedTask;
        }
    }
}

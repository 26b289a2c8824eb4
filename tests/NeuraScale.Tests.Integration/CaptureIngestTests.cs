using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The Event Hubs Capture ingest on Azurite: Capture-format Avro files of the relay's events become sessions exactly as
/// the Blob sink makes them — whatever the order the files arrive in, however often, and with damaged or foreign events
/// quarantined with the reason while the rest still ingests.
/// </summary>
public sealed class CaptureIngestTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SimulatedAmplifier Amp = new(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 21 });

    /// <summary>A 9.5 s session's events as the relay sends them: open, ten chunks (the last half a second), close.</summary>
    private static (RecordingSession Session, List<EventData> Events) Recording()
    {
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = Amp.Device.Id, DeviceModel = Amp.Device.Model, Modality = Modality.EEG,
            Channels = Amp.Device.Channels, SamplingRateHz = 250, StartTime = DateTimeOffset.UtcNow, Description = "capture ingest test",
        };
        var events = new List<EventData> { ChunkEvents.ForOpen(session) };
        for (var k = 0; k < 10; k++)
        {
            var count = k == 9 ? 125 : 250;
            var samples = new float[8 * count];
            Amp.Generate(k * 250, count, samples);
            events.Add(ChunkEvents.ForChunk(new SignalChunk(session.Id, k, k * 250, 250, 8, samples, Amp.EventsBetween(k * 250, (k * 250) + count))));
        }

        events.Add(ChunkEvents.ForClose(session.Id, SessionStatus.Completed, 9 * 250 + 125));
        return (session, events);
    }

    private readonly CapturingLoggerProvider _logs = new();

    private (CaptureIngestService Ingest, StreamStore Streams, SessionCatalog Catalog, SignalWindowReader Reader) Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(azurite.IsolatedOptions())).Build();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(_logs)).AddNeuraScaleStorage(configuration).BuildServiceProvider();
        StorageServiceCollectionExtensions.CreateClients(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value).EnsureCreatedAsync(Ct).GetAwaiter().GetResult();
        return (services.GetRequiredService<CaptureIngestService>(), services.GetRequiredService<StreamStore>(), services.GetRequiredService<SessionCatalog>(), services.GetRequiredService<SignalWindowReader>());
    }

    private static async Task AssertGroundTruthAsync(SignalWindowReader reader, RecordingSession stored)
    {
        var window = await reader.ReadAsync(stored, 0, (int)stored.SampleCount, Enumerable.Range(0, 8).ToArray(), Ct);
        for (var c = 0; c < 8; c++)
        {
            Assert.Equal(Enumerable.Range(0, (int)stored.SampleCount).Select(i => (float)Amp.Sample(c, i)), window.Data[c].Select(v => (float)v));
        }

        Assert.Equal(Amp.EventsBetween(0, stored.SampleCount), window.Events);
    }

    [Fact]
    public async Task FilesInAnyOrder_AndRepeated_GiveTheSessionTheBlobSinkGives()
    {
        var (ingest, streams, catalog, reader) = Services();
        var (session, events) = Recording();
        // Three Capture windows: open + chunks 0–2, chunks 3–5, chunks 6–9 + close; ingested last first.
        var files = new[] { events.Take(4), events.Skip(4).Take(3), events.Skip(7) }.Select((e, i) => (Name: $"ns/hub/0/2026/11/29/03/3{i}/00.avro", Bytes: CaptureFiles.Write(e, i * 100))).ToArray();
        foreach (var (name, bytes) in files)
        {
            await streams.UploadCaptureAsync(name, new MemoryStream(bytes), Ct);
        }

        var last = await ingest.IngestAsync(files[2].Name, Ct);
        Assert.Equal(new CaptureIngestResult(5, 4, 0, 0, null), last);
        Assert.Null(await catalog.GetAsync(session.Id, Ct)); // not open yet: its chunks wait in storage

        await ingest.IngestAsync(files[0].Name, Ct);
        var opened = await catalog.GetAsync(session.Id, Ct);
        Assert.Equal((750L, SessionStatus.Recording), (opened!.SampleCount, opened.Status)); // 0–2 counted; 3–5 not there yet

        var middle = await ingest.IngestAsync(files[1].Name, Ct);
        Assert.Equal(3, middle.ChunksStored);
        var complete = await catalog.GetAsync(session.Id, Ct);
        Assert.Equal((2375L, SessionStatus.Completed), (complete!.SampleCount, complete.Status)); // through the waiting chunks, then the close
        Assert.Equal(Amp.EventsBetween(0, 2375).Count, complete.EventCount);
        await AssertGroundTruthAsync(reader, complete);

        // Again, and two copies at once: stored once, nothing changes.
        var again = await Task.WhenAll(files.Select(f => ingest.IngestAsync(f.Name, Ct)).Concat([ingest.IngestAsync(files[1].Name, Ct)]));
        Assert.All(again, r => Assert.Equal(0, r.ChunksStored));
        Assert.Equal(10, again.Sum(r => r.ChunksAlreadyStored) - 3);
        var after = await catalog.GetAsync(session.Id, Ct);
        Assert.Equal((complete.SampleCount, complete.EventCount, complete.Status), (after!.SampleCount, after.EventCount, after.Status));
    }

    [Fact]
    public async Task DamagedAndForeignEvents_AreQuarantinedWithTheReason_NeverServed_TheRestIngests()
    {
        var (ingest, streams, catalog, reader) = Services();
        var (session, events) = Recording();
        var damaged = events[5].EventBody.ToArray();
        damaged[100] ^= 0x40; // one bit of chunk 4's samples: its CRC fails
        var corrupt = new EventData(damaged);
        foreach (var (key, value) in events[5].Properties)
        {
            corrupt.Properties[key] = value;
        }

        var foreign = new EventData("{\"temperature\": 21.5}"u8.ToArray());
        foreign.Properties["source"] = "hvac";
        var batch = events.Take(5).Append(corrupt).Append(foreign).Concat(events.Skip(6)).ToList();
        await streams.UploadCaptureAsync("ns/hub/1/file.avro", new MemoryStream(CaptureFiles.Write(batch)), Ct);

        var result = await ingest.IngestAsync("ns/hub/1/file.avro", Ct);

        Assert.Equal((13, 9, 2), (result.Events, result.ChunksStored, result.Quarantined));
        var quarantine = await streams.ListQuarantineAsync("ns/hub/1/file.avro", Ct);
        Assert.Equal(2, quarantine.Count);
        // Each with its reason in the log too.
        Assert.Contains(_logs.Lines, l => l.Contains("Quarantined event 5 of capture file ns/hub/1/file.avro: The chunk in the event is damaged", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("Quarantined event 6 of capture file ns/hub/1/file.avro: The event has no 'ns-kind' property", StringComparison.Ordinal));
        var stored = await catalog.GetAsync(session.Id, Ct);
        // Chunk 4 never arrived intact: the session is counted up to it and stays open, waiting for a good copy.
        Assert.Equal((1000L, SessionStatus.Recording), (stored!.SampleCount, stored.Status));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (float)Amp.Sample(0, 750 + i)), (await reader.ReadAsync(stored, 750, 250, [0], Ct)).Data[0].Select(v => (float)v));
        await Assert.ThrowsAsync<MissingChunkException>(() => reader.ReadAsync(stored with { SampleCount = 2375 }, 1000, 250, [0], Ct)); // the damaged copy is not there to serve

        // The relay's retry delivers chunk 4 again (a later Capture file): the session completes.
        await streams.UploadCaptureAsync("ns/hub/1/later.avro", new MemoryStream(CaptureFiles.Write([events[5]])), Ct);
        await ingest.IngestAsync("ns/hub/1/later.avro", Ct);
        Assert.Equal((2375L, SessionStatus.Completed), ((await catalog.GetAsync(session.Id, Ct))!.SampleCount, (await catalog.GetAsync(session.Id, Ct))!.Status));
    }

    [Fact]
    public async Task AFileDamagedPartWay_IngestsWhatPrecedesTheDamage_AndSaysSo()
    {
        var (ingest, streams, catalog, _) = Services();
        var (session, events) = Recording();
        var bytes = CaptureFiles.Write(events);
        await streams.UploadCaptureAsync("ns/hub/2/cut.avro", new MemoryStream(bytes[..(bytes.Length / 2)]), Ct);

        var result = await ingest.IngestAsync("ns/hub/2/cut.avro", Ct);

        Assert.NotNull(result.FileProblem);
        Assert.Contains("damaged", result.FileProblem, StringComparison.Ordinal);
        Assert.Contains(await streams.ListQuarantineAsync("ns/hub/2/cut.avro", Ct), n => n.EndsWith("/file.json", StringComparison.Ordinal));
        var stored = await catalog.GetAsync(session.Id, Ct);
        Assert.Equal(SessionStatus.Recording, stored?.Status ?? SessionStatus.Recording);
        Assert.Equal(result.ChunksStored * 250L, stored?.SampleCount ?? 0);
    }
}

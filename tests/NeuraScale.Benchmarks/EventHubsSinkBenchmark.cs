using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// The relay's side of the Event Hubs path with the SDK's own types (EventData, EventDataBatch with the 1 MB limit,
/// the producer API) against a recording seam in place of the service: what the relay spends per chunk to encode and
/// batch (the publisher alone), and to drain a spool backlog to the hub (disk read, encode, batch, delete) — the
/// relay's ceiling, before the network. Then chunks too large for an event (64 ch × 5 kHz) through the claim-check on
/// Azurite, beside the bare SDK uploading the same chunk bytes as many at once.
/// </summary>
public static class EventHubsSinkBenchmark
{
    public static async Task RunAsync(int chunks)
    {
        const int Channels = 64, Rate = 1000;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = Channels, SamplingRateHz = Rate, Seed = 6 });
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
            Channels = amp.Device.Channels, SamplingRateHz = Rate, StartTime = DateTimeOffset.UtcNow,
        };
        var block = new float[Channels * Rate];
        amp.Generate(0, Rate, block);
        var list = Enumerable.Range(0, chunks).Select(k => new SignalChunk(session.Id, k, (long)k * Rate, Rate, Channels, block, [])).ToList();
        var megabytes = list.Sum(c => (double)ChunkCodec.Encode(c).Length) / 1e6;
        Console.WriteLine(FormattableString.Invariant($"{chunks} chunks of {Channels} ch × {Rate} Hz (one second each), {megabytes:0.#} MB encoded."));
        Console.WriteLine("| what | seconds | events/s | MB/s | batches |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        var hub = new FakeEventHub();
        var publisher = new ChunkEventPublisher(hub);
        await publisher.PublishChunksAsync(list.Take(4).ToList(), CancellationToken.None); // warm-up
        hub.Batches.Clear();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < list.Count;)
        {
            i += await publisher.PublishChunksAsync(list.Skip(i).Take(32).ToList(), CancellationToken.None);
        }

        Row("publisher: encode + batch + send (to the seam)", watch.Elapsed.TotalSeconds, chunks, megabytes, hub.Batches.Count);

        // A spool holding the whole backlog (an outage's worth), drained by the relay as it resumes.
        var dir = Directory.CreateTempSubdirectory("eh-bench-").FullName;
        try
        {
            var spool = new DiskSpool(dir);
            spool.Save(new SpoolState { Session = session, NextSequence = chunks, UntilSample = (long)chunks * Rate, InputComplete = true, FinalSampleCount = (long)chunks * Rate });
            foreach (var chunk in list)
            {
                spool.Write(chunk);
            }

            var drainHub = new FakeEventHub();
            var relay = new RecordingRelay(amp, new EventHubsChunkSink(new ChunkEventPublisher(drainHub)), spool,
                Options.Create(new RelayOptions { SpoolDirectory = dir, Patient = session.Patient.Value }), TimeProvider.System, NullLogger<RecordingRelay>.Instance);
            var drain = Stopwatch.StartNew();
            await relay.RunAsync(CancellationToken.None);
            Row("relay draining a spool backlog (disk read, encode, batch, send, delete)", drain.Elapsed.TotalSeconds, chunks, megabytes, drainHub.Batches.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        await ClaimCheckAsync(Math.Max(8, chunks / 10));

        static void Row(string what, double seconds, int events, double mb, int batches) =>
            Console.WriteLine(FormattableString.Invariant($"| {what} | {seconds:0.00} | {events / seconds:0} | {mb / seconds:0} | {batches} |"));
    }

    /// <summary>64 ch × 5 kHz (1.28 MB a second): each chunk stored on Azurite, a reference sent; vs bare uploads of the same bytes.</summary>
    private static async Task ClaimCheckAsync(int chunks)
    {
        const int Channels = 64, Rate = 5000;
        await using var azurite = await AzuriteProcess.StartAsync();
        var clients = StorageServiceCollectionExtensions.CreateClients(new StorageOptions { ConnectionString = azurite.ConnectionString });
        await clients.EnsureCreatedAsync();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = Channels, SamplingRateHz = Rate, Seed = 8 });
        var block = new float[Channels * Rate];
        amp.Generate(0, Rate, block);
        var id = SessionId.New();
        var list = Enumerable.Range(0, chunks).Select(k => new SignalChunk(id, k, (long)k * Rate, Rate, Channels, block, [])).ToList();
        var encoded = list.Select(ChunkCodec.Encode).ToList();
        var megabytes = encoded.Sum(b => (double)b.Length) / 1e6;
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Claim-check: {chunks} chunks of {Channels} ch × {Rate} Hz ({encoded[0].Length / 1e6:0.00} MB each, {megabytes:0} MB), Azurite."));
        Console.WriteLine("| what | seconds | chunks/s | MB/s | batches |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        var hub = new FakeEventHub();
        var publisher = new ChunkEventPublisher(hub, new ChunkClaimCheck(new NeuraScale.Storage.Signals.SignalStore(clients)));
        var warmId = SessionId.New(); // warm-up: JIT and connections, another session
        await publisher.PublishChunksAsync(list.Take(8).Select(c => new SignalChunk(warmId, c.Sequence, c.FirstSample, Rate, Channels, block, [])).ToList(), CancellationToken.None);
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (k, ct) => await clients.SignalsContainer.GetBlobClient($"warm/{k}").UploadAsync(new BinaryData(encoded[k]), ct));
        hub.Batches.Clear();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < list.Count;)
        {
            i += await publisher.PublishChunksAsync(list.Skip(i).Take(32).ToList(), CancellationToken.None);
        }

        Row("publisher with claim-check: store each chunk (8 at once), send references", watch.Elapsed.TotalSeconds, chunks, megabytes, hub.Batches.Count);

        var bare = clients.SignalsContainer;
        watch.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, chunks), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (k, ct) =>
            await bare.GetBlobClient($"bare/{id.Value}/{k:D10}").UploadAsync(new BinaryData(encoded[k]), ct));
        Row("bare SDK: upload the same bytes, 8 at once", watch.Elapsed.TotalSeconds, chunks, megabytes, 0);

        // The ingest's side: a Capture file of the session's open, the references and its close; each reference resolved
        // (read from its place, SHA-256 checked) and the catalog advanced — beside the bare SDK downloading the blobs.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var session = new RecordingSession
        {
            Id = id, Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
            Channels = amp.Device.Channels, SamplingRateHz = Rate, StartTime = DateTimeOffset.UtcNow,
        };
        var events = new List<Azure.Messaging.EventHubs.EventData> { ChunkEvents.ForOpen(session) };
        events.AddRange(hub.Accepted);
        events.Add(ChunkEvents.ForClose(id, SessionStatus.Completed, (long)chunks * Rate));
        var streams = provider.GetRequiredService<StreamStore>();
        await streams.UploadCaptureAsync("bench/claim-check.avro", new MemoryStream(CaptureFiles.Write(events)), CancellationToken.None);
        var ingest = provider.GetRequiredService<CaptureIngestService>();
        watch.Restart();
        var result = await ingest.IngestAsync("bench/claim-check.avro", CancellationToken.None);
        Row($"Capture ingest resolving the references, first in the process ({result.ChunksAlreadyStored} resolved, {result.Quarantined} quarantined)", watch.Elapsed.TotalSeconds, chunks, megabytes, 0);
        watch.Restart();
        result = await ingest.IngestAsync("bench/claim-check.avro", CancellationToken.None);
        Row($"the same file again, warm ({result.ChunksAlreadyStored} resolved)", watch.Elapsed.TotalSeconds, chunks, megabytes, 0);
        watch.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, chunks), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (k, ct) =>
            await bare.GetBlobClient(ChunkNaming.Chunk(id, k)).DownloadContentAsync(ct));
        Row("bare SDK: download the same blobs, 8 at once", watch.Elapsed.TotalSeconds, chunks, megabytes, 0);

        static void Row(string what, double seconds, int events, double mb, int batches) =>
            Console.WriteLine(FormattableString.Invariant($"| {what} | {seconds:0.00} | {events / seconds:0.0} | {mb / seconds:0} | {batches} |"));
    }
}

using System.Diagnostics;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// The Capture ingest on Azurite: Capture files of 64 ch × 1 kHz sessions (60 one-second chunks per file, as a
/// one-minute Capture window holds) ingested one file at a time and several sessions at once, beside the bare SDK
/// uploading the same chunk bytes (one in flight, and as many in flight as the concurrent ingest) — the storage bound.
/// </summary>
public static class CaptureIngestBenchmark
{
    public static async Task RunAsync(int seconds, int sessions)
    {
        const int Channels = 64, Rate = 1000, PerFile = 60;
        await using var azurite = await AzuriteProcess.StartAsync();
        var options = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(options);
        await clients.EnsureCreatedAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var ingest = provider.GetRequiredService<CaptureIngestService>();
        var streams = provider.GetRequiredService<StreamStore>();

        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = Channels, SamplingRateHz = Rate, Seed = 4 });
        var blocks = Enumerable.Range(0, seconds).Select(k =>
        {
            var samples = new float[Channels * Rate];
            amp.Generate((long)k * Rate, Rate, samples);
            return samples;
        }).ToArray();

        // One session's Capture files, uploaded where Capture puts them.
        async Task<(string[] Files, List<byte[]> Chunks)> PrepareAsync(int index)
        {
            var session = new RecordingSession
            {
                Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
                Channels = amp.Device.Channels, SamplingRateHz = Rate, StartTime = DateTimeOffset.UtcNow,
            };
            var chunks = blocks.Select((b, k) => new SignalChunk(session.Id, k, (long)k * Rate, Rate, Channels, b, [])).ToList();
            var events = new List<EventData> { ChunkEvents.ForOpen(session) };
            events.AddRange(chunks.Select(c => ChunkEvents.ForChunk(c)));
            events.Add(ChunkEvents.ForClose(session.Id, SessionStatus.Completed, (long)seconds * Rate));
            var files = new List<string>();
            foreach (var (group, i) in events.Chunk(PerFile).Select((g, i) => (g, i)))
            {
                var name = $"bench/neural-chunks/{index}/{i:D4}.avro";
                await streams.UploadCaptureAsync(name, new MemoryStream(CaptureFiles.Write(group, i * PerFile)), CancellationToken.None);
                files.Add(name);
            }

            return ([.. files], chunks.Select(ChunkCodec.Encode).ToList());
        }

        var prepared = new List<(string[] Files, List<byte[]> Chunks)>();
        for (var s = 0; s < sessions + 1; s++)
        {
            prepared.Add(await PrepareAsync(s));
        }

        var megabytes = prepared[0].Chunks.Sum(c => c.Length) / 1e6;
        Console.WriteLine(FormattableString.Invariant($"{seconds} s of {Channels} ch × {Rate} Hz per session: {seconds} chunks, {megabytes:0.#} MB; {PerFile} events per Capture file."));
        Console.WriteLine("| what | seconds | chunks/s | MB/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        void Row(string what, double elapsed, int chunks, double mb) =>
            Console.WriteLine(FormattableString.Invariant($"| {what} | {elapsed:0.00} | {chunks / elapsed:0.#} | {mb / elapsed:0.#} |"));

        var one = Stopwatch.StartNew();
        foreach (var file in prepared[0].Files)
        {
            await ingest.IngestAsync(file, CancellationToken.None);
        }

        Row("ingest, one session's files one after another", one.Elapsed.TotalSeconds, seconds, megabytes);

        var many = Stopwatch.StartNew();
        await Task.WhenAll(prepared.Skip(1).Select(p => Task.Run(async () =>
        {
            foreach (var file in p.Files)
            {
                await ingest.IngestAsync(file, CancellationToken.None);
            }
        })));
        Row($"ingest, {sessions} sessions at once (total / wall time)", many.Elapsed.TotalSeconds, seconds * sessions, megabytes * sessions);

        var again = Stopwatch.StartNew();
        foreach (var file in prepared[0].Files)
        {
            await ingest.IngestAsync(file, CancellationToken.None);
        }

        Row("ingest again (every chunk already stored)", again.Elapsed.TotalSeconds, seconds, megabytes);

        var id = SessionId.New();
        var bare = Stopwatch.StartNew();
        for (var k = 0; k < prepared[0].Chunks.Count; k++)
        {
            await clients.SignalsContainer.GetBlobClient(ChunkNaming.Chunk(id, k)).UploadAsync(new BinaryData(prepared[0].Chunks[k]));
        }

        Row("reference: bare SDK upload of the same chunks, one in flight", bare.Elapsed.TotalSeconds, seconds, megabytes);

        var parallel = SessionId.New();
        var bareMany = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions).SelectMany(s => prepared[0].Chunks.Select((c, k) => (Name: ChunkNaming.Chunk(parallel, (s * 100_000) + k), Bytes: c))),
            new ParallelOptions { MaxDegreeOfParallelism = sessions }, async (chunk, ct) =>
                await clients.SignalsContainer.GetBlobClient(chunk.Name).UploadAsync(new BinaryData(chunk.Bytes), ct));
        Row($"reference: bare SDK upload, {sessions} in flight", bareMany.Elapsed.TotalSeconds, seconds * sessions, megabytes * sessions);
    }
}

using System.Diagnostics;
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

namespace NeuraScale.Benchmarks;

/// <summary>
/// The relay's side of the Event Hubs path with the SDK's own types (EventData, EventDataBatch with the 1 MB limit,
/// the producer API) against a recording seam in place of the service: what the relay spends per chunk to encode and
/// batch (the publisher alone), and to drain a spool backlog to the hub (disk read, encode, batch, delete) — the
/// relay's ceiling, before the network.
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

        static void Row(string what, double seconds, int events, double mb, int batches) =>
            Console.WriteLine(FormattableString.Invariant($"| {what} | {seconds:0.00} | {events / seconds:0} | {mb / seconds:0} | {batches} |"));
    }
}

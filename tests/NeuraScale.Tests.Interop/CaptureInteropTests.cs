using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// The Capture ingest reads Capture-format files written by an independent writer — Apache Avro for Python
/// (python3-avro), with the schema from the Event Hubs documentation and deflate blocks — into the session the relay
/// recorded, sample for sample.
/// </summary>
public sealed class CaptureInteropTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capture-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ACaptureFileWrittenByPythonAvro_IngestsToTheRecordedSession()
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 16, SamplingRateHz = 500, Seed = 8 });
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
            Channels = amp.Device.Channels, SamplingRateHz = 500, StartTime = DateTimeOffset.UtcNow,
        };
        var events = new List<EventData> { ChunkEvents.ForOpen(session) };
        for (var k = 0; k < 6; k++)
        {
            var samples = new float[16 * 500];
            amp.Generate(k * 500, 500, samples);
            events.Add(ChunkEvents.ForChunk(new SignalChunk(session.Id, k, k * 500, 500, 16, samples, amp.EventsBetween(k * 500, (k + 1) * 500))));
        }

        events.Add(ChunkEvents.ForClose(session.Id, SessionStatus.Completed, 3000));
        var described = events.Select((e, i) =>
        {
            var body = Path.Combine(_dir, $"{i}.bin");
            File.WriteAllBytes(body, e.EventBody.ToArray());
            return new { body, partition_key = session.Id.Value, properties = e.Properties.ToDictionary(p => p.Key, p => p.Value) };
        }).ToArray();
        var output = Path.Combine(_dir, "capture.avro");
        PythonReference.Run("capture_avro.py", new { output, events = described });

        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage)).Build();
        await using var services = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var streams = services.GetRequiredService<StreamStore>();
        await using (var file = File.OpenRead(output))
        {
            await streams.UploadCaptureAsync("ns/neural-chunks/0/2026/11/29/03/30/00.avro", file, ct);
        }

        var result = await services.GetRequiredService<CaptureIngestService>().IngestAsync("ns/neural-chunks/0/2026/11/29/03/30/00.avro", ct);

        Assert.Equal(new CaptureIngestResult(8, 6, 0, 0, null), result);
        var stored = await services.GetRequiredService<SessionCatalog>().GetAsync(session.Id, ct);
        Assert.Equal((3000L, SessionStatus.Completed), (stored!.SampleCount, stored.Status));
        var window = await services.GetRequiredService<SignalWindowReader>().ReadAsync(stored, 0, 3000, Enumerable.Range(0, 16).ToArray(), ct);
        for (var c = 0; c < 16; c++)
        {
            Assert.Equal(Enumerable.Range(0, 3000).Select(i => (float)amp.Sample(c, i)), window.Data[c].Select(v => (float)v));
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Testing;

/// <summary>Records a session through the real relay (spool, Blob sink) into the given storage.</summary>
public static class TestRecorder
{
    public static async Task<RecordingSession> RecordAsync(StorageClients clients, IAmplifierDriver driver, PatientPseudonym patient, double seconds, CancellationToken cancellationToken = default)
    {
        var spool = Directory.CreateTempSubdirectory("test-spool-").FullName;
        try
        {
            var catalog = new SessionCatalog(clients);
            var relay = new RecordingRelay(
                driver,
                new BlobChunkSink(new SessionIngestService(catalog, new SignalStore(clients))),
                new DiskSpool(spool),
                Options.Create(new RelayOptions { SpoolDirectory = spool, DurationSeconds = seconds, Patient = patient.Value }),
                TimeProvider.System,
                NullLogger<RecordingRelay>.Instance);
            var recorded = await relay.RunAsync(cancellationToken);
            return (await catalog.GetAsync(recorded.Id, cancellationToken))!;
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }
}

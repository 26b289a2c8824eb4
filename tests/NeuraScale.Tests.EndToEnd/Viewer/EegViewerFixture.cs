using ModelContextProtocol.Client;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd.Viewer;

/// <summary>
/// What the viewer tests look at, in their own storage on Azurite: a simulated 64-channel EEG at 256 Hz (the issue's
/// render-time page: 64 ch × 10 s × 256 Hz) recorded through the relay, and the real EEGMMIDB S001R02 (one minute
/// of eyes closed, 64 ch at 160 Hz) imported from its EDF file; the MCP server over them; a reader's key.
/// </summary>
public sealed class EegViewerFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public static readonly SimulatorOptions SimulatedOptions = new() { ChannelCount = 64, SamplingRateHz = 256, Seed = 17, Speed = 10_000 };

    private McpTestServer? _server;

    public StorageOptions Storage { get; } = azurite.IsolatedOptions();

    public PatientPseudonym Patient { get; private set; }

    public RecordingSession Simulated { get; private set; } = null!;

    public RecordingSession EyesClosed { get; private set; } = null!;

    /// <summary>A simulated 3-lead ECG (the viewer's defaults differ by modality).</summary>
    public RecordingSession Ecg { get; private set; } = null!;

    public string ReaderKey { get; private set; } = null!;

    public Uri Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(Storage);
        await clients.EnsureCreatedAsync();
        Patient = (await new PatientRegistry(clients, TimeProvider.System).RegisterAsync(new PatientIdentity("Viewer", "Test", new DateOnly(1980, 2, 3), "MRN-VIEWER-1"))).Pseudonym;
        Simulated = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(SimulatedOptions), Patient, 40);
        Ecg = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(new SimulatorOptions { Modality = Modality.ECG, ChannelCount = 3, SamplingRateHz = 500, Seed = 5, Speed = 10_000, DeviceId = "sim-ecg-01" }), Patient, 10);

        var catalog = new SessionCatalog(clients);
        var importer = new RecordingImporter(new SessionIngestService(catalog, new SignalStore(clients)));
        using (var source = EdfSessionSource.Open(RepositoryPaths.EegMmiDb("S001R02.edf")))
        {
            EyesClosed = (await importer.ImportAsync(source, SessionId.New(), Patient, "EEGMMIDB S001R02, baseline, eyes closed")).Session;
        }

        ReaderKey = await McpTestServer.CreateKeyAsync(Storage, ["reader"]);
        _server = await McpTestServer.StartAsync(Storage);
    }

    public Task<McpClient> ConnectAsync(CancellationToken cancellationToken) => McpTestServer.ConnectAsync(Endpoint, ReaderKey, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

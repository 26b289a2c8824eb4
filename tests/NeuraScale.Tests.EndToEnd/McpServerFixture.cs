using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// Records two sessions through the relay into Azurite (an EEG and an ECG from the simulator), then runs the MCP
/// server on a random loopback port, as a client would find it.
/// </summary>
public sealed class McpServerFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public static readonly SimulatorOptions EegOptions = new() { ChannelCount = 8, SamplingRateHz = 250, Seed = 2024, Speed = 10_000, PoorContactChannels = ["O2"] };
    public static readonly SimulatorOptions EcgOptions = new() { Modality = Modality.ECG, ChannelCount = 3, SamplingRateHz = 500, Seed = 3, Speed = 10_000, DeviceId = "sim-ecg-01" };

    private WebApplication? _app;

    public StorageOptions Storage { get; } = azurite.IsolatedOptions();

    public RecordingSession EegSession { get; private set; } = null!;

    public RecordingSession EcgSession { get; private set; } = null!;

    public PatientPseudonym Patient { get; } = PatientPseudonym.New();

    public Uri Endpoint { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(Storage);
        await clients.EnsureCreatedAsync();
        EegSession = await RecordAsync(clients, new SimulatedAmplifier(EegOptions), 30);
        EcgSession = await RecordAsync(clients, new SimulatedAmplifier(EcgOptions), 10);

        _app = NeuraScaleMcpServer.CreateWebApplication(
            ["--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(Storage));
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Endpoint = new Uri(address + "/mcp");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public Task<McpClient> ConnectAsync(CancellationToken cancellationToken) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Endpoint, TransportMode = HttpTransportMode.StreamableHttp }), cancellationToken: cancellationToken);

    private async Task<RecordingSession> RecordAsync(StorageClients clients, SimulatedAmplifier amp, double seconds)
    {
        var spool = Directory.CreateTempSubdirectory("e2e-spool-").FullName;
        try
        {
            var relay = new RecordingRelay(
                amp,
                new BlobChunkSink(new SessionIngestService(new SessionCatalog(clients), new SignalStore(clients))),
                new DiskSpool(spool),
                Options.Create(new RelayOptions { SpoolDirectory = spool, DurationSeconds = seconds, Patient = Patient.Value }),
                TimeProvider.System,
                NullLogger<RecordingRelay>.Instance);
            var recorded = await relay.RunAsync(CancellationToken.None);
            return (await new SessionCatalog(clients).GetAsync(recorded.Id))!;
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }
}

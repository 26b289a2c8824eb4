using ModelContextProtocol.Client;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Patients;
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

    /// <summary>
    /// A 19-channel, 400 s oddball (80 % targets) with a P300-sized component (20 µV at 300 ms, Pz-centred) over quiet
    /// ongoing EEG (background 2 µV, alpha 3 µV): with the default 1/f background (≈19 µV RMS) ~150 trials leave a
    /// residual that moves the peak of a 60 ms-wide component by up to ±20 ms, which would make a ±5 ms check meaningless.
    /// </summary>
    public static readonly SimulatorOptions OddballOptions = new()
    {
        ChannelCount = 19, SamplingRateHz = 250, Seed = 77, Speed = 10_000, TargetProbability = 0.8,
        EvokedLatencySeconds = 0.3, EvokedMicrovolts = 20, AlphaMicrovolts = 3, BackgroundMicrovolts = 2,
    };

    /// <summary>
    /// Jobs run in the server's process (as in the local stack); exports over 100 kB of samples are queued (a 10 s window
    /// of the EEG session runs inline, the whole 30 s is a job); retries follow quickly.
    /// The export rate limit is raised: all export tests share one key.
    /// </summary>
    public static readonly Dictionary<string, string?> JobSettings = new()
    {
        ["Jobs:RunInProcess"] = "true",
        // Revocation tests here expect the next call refused; the key cache's lifetime bound is tested in LoadProtectionTests.
        ["Security:ApiKeys:CacheSeconds"] = "0",
        ["Jobs:RetryBaseDelay"] = "00:00:00.200",
        ["Jobs:CheckInterval"] = "00:00:00.250",
        ["Jobs:PollInterval"] = "00:00:00.100",
        ["Exports:InlineMaxBytes"] = "100000",
        ["Imports:InlineMaxBytes"] = "1000000", // the real 1.25 MB EDF files are imported by a queued job
        ["Jobs:StatusPollInterval"] = "00:00:00.100",
        ["Security:RateLimits:DataExport"] = "1000", // the export tests share one key; the limit itself is tested in SecurityTests
    };

    private McpTestServer? _server;
    private Lazy<Task<RecordingSession>>? _oddball;

    public StorageOptions Storage { get; } = azurite.IsolatedOptions();

    public RecordingSession EegSession { get; private set; } = null!;

    public RecordingSession EcgSession { get; private set; } = null!;

    /// <summary>The (fictitious, registered) patient of both sessions.</summary>
    public PatientPseudonym Patient { get; private set; }

    public Uri Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(Storage);
        await clients.EnsureCreatedAsync();
        Patient = (await new PatientRegistry(clients, TimeProvider.System).RegisterAsync(new PatientIdentity("Test", "Patient", new DateOnly(1990, 6, 1), "MRN-TEST-1"))).Pseudonym;
        EegSession = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(EegOptions), Patient, 30);
        EcgSession = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(EcgOptions), Patient, 10);
        ApiKey = await McpTestServer.CreateKeyAsync(Storage, ["demo"]);
        _server = await McpTestServer.StartAsync(Storage, JobSettings);
    }

    /// <summary>The oddball session, recorded through the relay on first use (only the tests that need it pay for it).</summary>
    public Task<RecordingSession> OddballAsync()
    {
        _oddball ??= new Lazy<Task<RecordingSession>>(() =>
            TestRecorder.RecordAsync(StorageServiceCollectionExtensions.CreateClients(Storage), new SimulatedAmplifier(OddballOptions), Patient, 400));
        return _oddball.Value;
    }

    /// <summary>A key with every permission but admin.</summary>
    public string ApiKey { get; private set; } = null!;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public Task<McpClient> ConnectAsync(CancellationToken cancellationToken) => McpTestServer.ConnectAsync(Endpoint, ApiKey, cancellationToken);
}

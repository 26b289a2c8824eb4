using NeuraScale.Domain;
using NeuraScale.EdgeRelay;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Mcp.Servers;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;
using NeuraScale.Storage.Patients;

namespace NeuraScale.LocalHost;

/// <summary>
/// The whole local stack in one process: Azurite, the MCP server with the job worker, and an edge relay with a simulated amplifier.
/// A short demo session is recorded at high speed before the endpoint is announced, so a client finds data at once;
/// then a live session records in real time until Ctrl+C.
/// </summary>
public sealed class LocalRunner(LocalRunnerOptions options)
{
    public async Task<int> RunAsync(CancellationToken stopToken)
    {
        Console.WriteLine("Starting Azurite…");
        await using var azurite = await AzuriteProcess.StartAsync(null, ownSession: true, stopToken).ConfigureAwait(false);
        var storage = new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString };

        var (patient, apiKey) = await PrepareDemoAsync(azurite.ConnectionString, stopToken).ConfigureAwait(false);
        Console.WriteLine($"Recording a {options.DemoSeconds} s demo session for patient {patient}…");
        await RecordAsync(storage, patient, options.DemoSeconds, speed: 1000, "Demo: resting EEG with auditory oddball", stopToken).ConfigureAwait(false);

        var port = PickPort(options.Port);
        var app = NeuraScaleMcpServer.CreateWebApplication(
            // A developer's machine: Development (the local audit key and loopback origins are fine here).
            ["--urls", $"http://127.0.0.1:{port}", "--environment", "Development"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(storage);
                // What the job Function app does in Azure (export jobs from the queue) runs here, in this process.
                builder.Configuration["Jobs:RunInProcess"] = "true";
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                // Ctrl+C should end the stack within seconds: background workers get 5 s to finish (the relays, which
                // hold the unsent chunks, have stopped and flushed before this host stops).
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
            });
        await app.StartAsync(stopToken).ConfigureAwait(false);
        await WaitHealthyAsync(port, stopToken).ConfigureAwait(false);

        var live = RecordAsync(storage, patient, durationSeconds: 0, speed: 1, "Live: simulated amplifier, real time", stopToken);
        var relay = ServeRelayAsync(storage, stopToken);
        Console.WriteLine($"MCP endpoint: http://127.0.0.1:{port}/mcp");
        Console.WriteLine($"API key: {apiKey}");
        Console.WriteLine($"Each server alone: {string.Join(", ", McpServers.Each.Select(s => $"http://127.0.0.1:{port}{s.Route}"))}");
        Console.WriteLine($"Storage (for the stdio server, NEURASCALE_Storage__ConnectionString): {azurite.ConnectionString}");
        Console.WriteLine($"Devices behind the local relay '{LocalRelayId}' (list_devices, connect_device, …): {string.Join(", ", LocalDevices.Select(d => d.Id).Concat(PlaybackDevices().Select(p => $"{p.Id} ({p.What})")))}");
        Console.WriteLine("Live recording in progress. Press Ctrl+C to stop.");

        try
        {
            await Task.Delay(Timeout.Infinite, stopToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping…");
        }

        await live.ConfigureAwait(false);
        await relay.ConfigureAwait(false);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>A demo patient (fictitious: identifying data stays in the registry) and a demo key with every permission but admin.</summary>
    private static async Task<(PatientPseudonym Patient, string ApiKey)> PrepareDemoAsync(string connectionString, CancellationToken cancellationToken)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(new StorageOptions { ConnectionString = connectionString });
        await clients.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var registry = new PatientRegistry(clients, TimeProvider.System);
        var patient = await registry.RegisterAsync(new PatientIdentity("Ada", "Example", new DateOnly(1980, 1, 1), "MRN-DEMO-0001"), cancellationToken).ConfigureAwait(false);
        // The demo patient has consented to both purposes, so the protocols can be run on the local amplifiers at once.
        var consents = new ConsentRegistry(clients);
        foreach (var purpose in new[] { "clinical_care", "research" })
        {
            await consents.AddAsync(new ConsentRecord(patient.Pseudonym, purpose, true, DateTimeOffset.UtcNow, "local-demo-setup", "demo patient (fictitious)"), cancellationToken).ConfigureAwait(false);
        }

        var (_, token) = await new ApiKeyStore(clients, TimeProvider.System).CreateAsync("local demo", ["demo"], null, null, cancellationToken).ConfigureAwait(false);
        return (patient.Pseudonym, token);
    }

    /// <summary>Runs the relay in its own host until the duration is reached or the stack stops.</summary>
    private async Task RecordAsync(Dictionary<string, string?> storage, PatientPseudonym patient, double durationSeconds, double speed, string description, CancellationToken stopToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(storage).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:SpoolDirectory"] = Path.Combine(options.SpoolRoot, Guid.NewGuid().ToString("N")),
            ["Relay:Patient"] = patient.Value,
            ["Relay:DurationSeconds"] = durationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:Description"] = description,
            ["Simulator:ChannelCount"] = options.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:SamplingRateHz"] = options.SamplingRateHz.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:Speed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:Seed"] = options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:PoorContactChannels:0"] = "T8",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Azure", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddEdgeRelay(builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync(stopToken).ConfigureAwait(false);
    }

    private const string LocalRelayId = "local-relay";

    /// <summary>What the local relay drives: a 16-channel EEG, an EMG and a 12-lead ECG, all simulated.</summary>
    private static readonly (string Id, string Modality, int Channels, int Rate)[] LocalDevices =
    [
        ("local-eeg-01", "EEG", 16, 250),
        ("local-emg-01", "EMG", 4, 1000),
        ("local-ecg-01", "ECG", 12, 500),
    ];

    /// <summary>
    /// Real recordings for playback devices: PhysioNet EEGMMIDB subject 1, runs 2 (eyes closed) and 1 (eyes open), 64
    /// channels at 160 Hz, from the repository's test data; none when the stack runs outside the repository.
    /// </summary>
    private static IEnumerable<(string Id, string Path, string What, string? Then)> PlaybackDevices()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var data = Path.Combine(folder.FullName, "tests", "data", "eegmmidb");
            if (File.Exists(Path.Combine(data, "S001R02.edf")) && File.Exists(Path.Combine(data, "S001R01.edf")))
            {
                return
                [
                    ("local-playback-01", Path.Combine(data, "S001R02.edf"), "EEGMMIDB S001R02, eyes closed", null),
                    ("local-playback-02", Path.Combine(data, "S001R01.edf"), "EEGMMIDB S001R01, eyes open", null),
                    // For the resting-state protocol: eyes open then eyes closed, a minute each, again and again.
                    ("local-playback-03", Path.Combine(data, "S001R01.edf"), "EEGMMIDB S001R01 then R02, eyes open then closed, looping", Path.Combine(data, "S001R02.edf")),
                ];
            }
        }

        return [];
    }

    /// <summary>An edge relay on the control plane (as 'relay serve' runs it): registers its devices and runs commands from its queue.</summary>
    private async Task ServeRelayAsync(Dictionary<string, string?> storage, CancellationToken stopToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?> { ["Control:RelayId"] = LocalRelayId, ["Control:Name"] = "Local stack" };
        for (var i = 0; i < LocalDevices.Length; i++)
        {
            var (id, modality, channels, rate) = LocalDevices[i];
            settings[$"Control:Devices:{i}:DeviceId"] = id;
            settings[$"Control:Devices:{i}:Modality"] = modality;
            settings[$"Control:Devices:{i}:ChannelCount"] = channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"Control:Devices:{i}:SamplingRateHz"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"Control:Devices:{i}:Seed"] = (options.Seed + (ulong)i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // As a technologist finds a cap: one electrode not yet seated (check_impedance and monitor_signal_quality name it).
        settings["Control:Devices:0:PoorContactChannels:0"] = "T8";

        foreach (var ((id, file, _, then), i) in PlaybackDevices().Select((p, i) => (p, i)))
        {
            settings[$"Control:Playback:{i}:DeviceId"] = id;
            settings[$"Control:Playback:{i}:Path"] = file;
            if (then is not null)
            {
                settings[$"Control:Playback:{i}:ThenPaths:0"] = then;
                settings[$"Control:Playback:{i}:Loop"] = "true";
            }

            settings[$"Control:Playback:{i}:LineFrequencyHz"] = "60"; // recorded in the USA
        }

        settings["Control:SpoolDirectory"] = Path.Combine(options.SpoolRoot, "control-" + Guid.NewGuid().ToString("N")); // Azurite is new each run
        builder.Configuration.AddInMemoryCollection(storage).AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRelayControl(builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync(stopToken).ConfigureAwait(false);
    }

    private static async Task WaitHealthyAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The requested port when it is free, else any free port.</summary>
    private static int PickPort(int requested)
    {
        if (LoopbackPorts.IsFree(requested))
        {
            return requested;
        }

        Console.WriteLine($"Port {requested} is in use; picking a free one.");
        return LoopbackPorts.Free(1)[0];
    }
}

/// <summary>Settings of the local stack (command-line flags).</summary>
public sealed record LocalRunnerOptions
{
    public int Port { get; init; } = NeuraScaleMcpServer.DefaultPort;
    public int Channels { get; init; } = 19;
    public double SamplingRateHz { get; init; } = 250;
    public ulong Seed { get; init; } = 42;
    public double DemoSeconds { get; init; } = 60;
    public string SpoolRoot { get; init; } = Path.Combine(Path.GetTempPath(), "neurascale-spool");

    /// <summary>What is wrong with the flags, in their own names; empty when the stack can start.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Port is < 1 or > 65535)
        {
            problems.Add($"--port must be 1–65535; got {Port}.");
        }

        if (Channels is < 1 or > 64)
        {
            problems.Add($"--channels must be 1–64 (the simulator's EEG montage); got {Channels}.");
        }

        if (SamplingRateHz is < 100 or > 20_000 || SamplingRateHz != Math.Floor(SamplingRateHz))
        {
            problems.Add($"--rate must be a whole number of Hz from 100 to 20000; got {SamplingRateHz}.");
        }

        if (DemoSeconds is < 1 or > 3600 || double.IsNaN(DemoSeconds))
        {
            problems.Add($"--demo-seconds must be 1–3600; got {DemoSeconds}.");
        }

        return problems;
    }
}

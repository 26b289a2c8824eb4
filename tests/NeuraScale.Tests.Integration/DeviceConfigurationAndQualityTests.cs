using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.EdgeRelay.Control;
using NeuraScale.Processing.Devices;
using NeuraScale.Signals.Quality;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Devices;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// configure_device and monitor_signal_quality through the control plane on Azurite, against the simulator's ground
/// truth: a configuration is what the recording then holds (and survives a relay restart); the quality report computed
/// on the relay is the one the same samples give, names the injected faults, and runs beside other commands.
/// </summary>
public sealed class DeviceConfigurationAndQualityTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Technician = new("key:tech", "tech", new HashSet<string> { "technician" }, new HashSet<string> { Permissions.DevicesRead, Permissions.DevicesControl }, null);

    /// <summary>The relay's EEG: T8 poorly attached, C3 popping, T7 tense, F3 dead, C4 off, blinking; 20× real time.</summary>
    private static readonly Dictionary<string, string?> FaultyEeg = new()
    {
        ["Control:Devices:0:Speed"] = "20",
        ["Control:Devices:0:PopChannels:0"] = "C3",
        ["Control:Devices:0:PopsPerMinute"] = "12",
        ["Control:Devices:0:MuscleChannels:0"] = "T7",
        ["Control:Devices:0:FlatChannels:0"] = "F3",
        ["Control:Devices:0:RailedChannels:0"] = "C4",
        ["Control:Devices:0:BlinkRatePerSecond"] = "0.3",
    };

    private static SimulatorOptions Truth(Action<SimulatorOptions>? change = null)
    {
        var options = new SimulatorOptions
        {
            DeviceId = "lab1-eeg-01", ChannelCount = 16, SamplingRateHz = 250, PoorContactChannels = ["T8"], PopChannels = ["C3"], PopsPerMinute = 12,
            MuscleChannels = ["T7"], FlatChannels = ["F3"], RailedChannels = ["C4"], BlinkRatePerSecond = 0.3,
        };
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task ConfigureDevice_AppliesWhatTheDeviceOffers_RefusesTheRest_TheRecordingHoldsIt_AndARestartKeepsIt()
    {
        var storage = azurite.IsolatedOptions();
        var spool = Directory.CreateTempSubdirectory("relay-spool-").FullName;
        var relayConfig = new Dictionary<string, string?> { ["Control:SpoolDirectory"] = spool, ["Control:Devices:0:Speed"] = "20" };
        var relay = await ControlPlaneHosts.StartRelayAsync(storage, relayConfig);
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();

        var change = new DeviceSettingsChange(500, 7, ["O2", "Fp1", "o1", "T8", "Pz"], "Average", 60);
        var disconnected = await devices.ConfigureAsync(Technician, "lab1-eeg-01", change, 10, null, Ct);
        Assert.Contains("is disconnected: configure_device is not possible now. Allowed while disconnected: connect_device", disconnected.Error, StringComparison.Ordinal);

        await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        var configured = await devices.ConfigureAsync(Technician, "lab1-eeg-01", change, 10, null, Ct);
        Assert.True(configured.State == CommandStates.Succeeded, configured.Error);
        var result = JsonDocument.Parse(configured.Result!).RootElement;
        // Pz is not one of this 16-channel amplifier's inputs, so the channel list is refused whole; gain 7 is not offered.
        Assert.Equal(["sampling_rate_hz", "reference", "line_frequency_hz"], result.GetProperty("applied").EnumerateObject().Select(p => p.Name));
        Assert.Equal("7 is not a gain this device offers; allowed: 1, 2, 4, 6, 8, 12, 24.", result.GetProperty("refused").GetProperty("gain").GetString());
        Assert.StartsWith("Pz is not a channel of this device; it has Fp1, Fp2, C3,", result.GetProperty("refused").GetProperty("channels").GetString(), StringComparison.Ordinal);
        Assert.Equal("average", result.GetProperty("settings").GetProperty("reference").GetString());

        var channels = await devices.ConfigureAsync(Technician, "lab1-eeg-01", new DeviceSettingsChange(null, 12, ["O2", "Fp1", "o1", "T8"], null, null), 10, null, Ct);
        var applied = JsonDocument.Parse(channels.Result!).RootElement;
        Assert.Equal(["Fp1", "O1", "O2", "T8"], applied.GetProperty("applied").GetProperty("channels").EnumerateArray().Select(c => c.GetString())); // the device's order and spelling
        Assert.Equal(375_000, applied.GetProperty("settings").GetProperty("input_range_uv").GetDouble()); // ±4.5 V / 12
        var listed = await ControlPlaneHosts.PollAsync(() => devices.GetDeviceAsync("lab1-eeg-01", Ct), v => v.Device.ChannelCount == 4);
        Assert.Equal(500, listed.Device.SamplingRateHz);

        var nothing = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.ConfigureAsync(Technician, "lab1-eeg-01", new DeviceSettingsChange(null, null, null, null, null), 10, null, Ct));
        Assert.Contains("needs at least one of sampling_rate_hz, gain, channels, reference, line_frequency_hz", nothing.Message, StringComparison.Ordinal);
        var mains = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.ConfigureAsync(Technician, "lab1-eeg-01", new DeviceSettingsChange(null, null, null, null, 55), 10, null, Ct));
        Assert.Contains("line_frequency_hz must be 50 or 60", mains.Message, StringComparison.Ordinal);

        // The recording has the configured layout, sample for sample what the simulator gives with those settings.
        // Until stopped: a configuration is refused while it records, whatever the timing.
        var started = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", PatientPseudonym.New().Value, null, null, 20, null, Ct);
        Assert.True(started.State == CommandStates.Succeeded, started.Error);
        var during = await devices.ConfigureAsync(Technician, "lab1-eeg-01", new DeviceSettingsChange(250, null, null, null, null), 10, null, Ct);
        Assert.Contains("is recording: configure_device is not possible now", during.Error, StringComparison.Ordinal);
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        var sessionId = SessionId.Parse(JsonDocument.Parse(started.Result!).RootElement.GetProperty("session_id").GetString()!);
        await ControlPlaneHosts.PollAsync(() => new SessionCatalog(clients).GetAsync(sessionId, Ct), s => s!.SampleCount >= 1000);
        var stopped = await devices.SendAsync(Technician, "lab1-eeg-01", "stop_recording", "{}", 30, null, Ct);
        Assert.True(stopped.State == CommandStates.Succeeded, stopped.Error);
        var session = await new SessionCatalog(clients).GetAsync(sessionId, Ct);
        Assert.Equal((500.0, SessionStatus.Completed), (session!.SamplingRateHz, session.Status));
        Assert.Equal(["Fp1", "O1", "O2", "T8"], session.Channels.Select(c => c.Name));
        var truth = new SimulatedAmplifier(Truth(o =>
        {
            o.PopChannels = []; o.MuscleChannels = []; o.FlatChannels = []; o.RailedChannels = []; o.BlinkRatePerSecond = 0.2;
            o.SamplingRateHz = 500; o.Channels = ["Fp1", "O1", "O2", "T8"]; o.Reference = "average"; o.Gain = 12;
        }));
        var window = await new SignalWindowReader(new SignalStore(clients)).ReadAsync(session, 0, 1000, [0, 1, 2, 3], Ct);
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (float)truth.Sample(c, i)), window.Data[c].Select(v => (float)v));
        }

        // A new relay process finds the device as it was configured.
        await relay.StopAsync(Ct);
        relay.Dispose();
        using var restarted = await ControlPlaneHosts.StartRelayAsync(storage, relayConfig);
        await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        var diagnostics = JsonDocument.Parse((await devices.SendAsync(Technician, "lab1-eeg-01", "get_diagnostics", "{}", 10, null, Ct)).Result!).RootElement.GetProperty("settings");
        Assert.Equal((500.0, 12, "average", 60.0, 4), (diagnostics.GetProperty("sampling_rate_hz").GetDouble(), diagnostics.GetProperty("gain").GetInt32(),
            diagnostics.GetProperty("reference").GetString(), diagnostics.GetProperty("line_frequency_hz").GetDouble(), diagnostics.GetProperty("channels").GetArrayLength()));
    }

    [Fact]
    public async Task MonitorSignalQuality_OnTheRelay_IsWhatTheSameSamplesGive_AndNamesTheInjectedFaults()
    {
        var storage = azurite.IsolatedOptions();
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage, FaultyEeg);
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();

        var disconnected = await devices.MonitorSignalQualityAsync(Technician, "lab1-eeg-01", 5, 10, null, Ct);
        Assert.Contains("is disconnected: monitor_signal_quality is not possible now. Allowed while disconnected: connect_device", disconnected.Error, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.MonitorSignalQualityAsync(Technician, "lab1-eeg-01", 120, null, null, Ct));
        Assert.Contains("duration_seconds must be 2–60 s of live signal", tooLong.Message, StringComparison.Ordinal);

        await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        var monitored = await devices.MonitorSignalQualityAsync(Technician, "lab1-eeg-01", 30, null, null, Ct);
        Assert.True(monitored.State == CommandStates.Succeeded, monitored.Error);
        var report = JsonDocument.Parse(monitored.Result!).RootElement;
        var (first, count) = (report.GetProperty("first_sample").GetInt64(), report.GetProperty("sample_count").GetInt32());
        Assert.Equal((0L, 30 * 250), (first, count)); // the first look after connecting starts at the device's first sample

        // The same samples, regenerated, assessed here: the relay's figures are exactly these.
        var amp = new SimulatedAmplifier(Truth());
        var samples = new float[16 * count];
        amp.Generate(first, count, samples);
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var expected = SignalQuality.Assess(samples, new QualityInput(250, names, QualityProfile.Eeg(250), 50, 187_500, [0, 1], amp.DroppedBetween(first, first + count)));
        var channels = report.GetProperty("channels").EnumerateArray().ToArray();
        for (var c = 0; c < 16; c++)
        {
            var e = expected.Channels[c];
            Assert.Equal(e.Name, channels[c].GetProperty("channel").GetString());
            var snr = channels[c].GetProperty("snr_db");
            Assert.Equal(double.IsFinite(e.SnrDb) ? Math.Round(e.SnrDb, 1) : (double?)null, snr.ValueKind == JsonValueKind.Null ? null : snr.GetDouble());
            Assert.Equal(Math.Round(e.LineNoiseRms, 2), channels[c].GetProperty("line_noise_uv_rms").GetDouble());
            Assert.Equal((e.Pops, e.MuscleBursts, e.Score), (channels[c].GetProperty("electrode_pops").GetInt32(), channels[c].GetProperty("muscle_bursts").GetInt32(), channels[c].GetProperty("score").GetInt32()));
        }

        Assert.Equal(expected.Score, report.GetProperty("score").GetInt32());

        // ...and they find what was injected.
        Assert.Equal(50, report.GetProperty("mains").GetProperty("detected_hz").GetDouble());
        Assert.Equal(["F3"], report.GetProperty("flat_channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["C4"], report.GetProperty("railed_channels").EnumerateArray().Select(c => c.GetString()));
        var artifacts = report.GetProperty("artifacts");
        var pops = amp.PopsBetween(first, first + count).Count;
        Assert.True(artifacts.GetProperty("electrode_pops").GetInt32() is var found && found >= pops - 1 && found <= pops, $"{found} pops found, {pops} injected: " + string.Join(", ", channels.Select(c => $"{c.GetProperty("channel")}={c.GetProperty("electrode_pops")}")));
        Assert.True(channels[Array.IndexOf(names, "C3")].GetProperty("electrode_pops").GetInt32() >= pops - 1);
        var bursts = amp.MuscleBurstsBetween(first, first + count).Count;
        Assert.InRange(artifacts.GetProperty("muscle_bursts").GetInt32(), bursts - 1, bursts + 1);
        var blinks = amp.BlinksBetween(first, first + count);
        Assert.InRange(artifacts.GetProperty("blinks").GetInt32(), blinks.Count - 2, blinks.Count);
        var t8 = channels[Array.IndexOf(names, "T8")];
        Assert.Equal("poor", t8.GetProperty("rating").GetString());
        var advice = report.GetProperty("recommendations").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.StartsWith("C4 sits at the amplifier's limit", advice[0], StringComparison.Ordinal);
        Assert.StartsWith("F3 shows no signal", advice[1], StringComparison.Ordinal);
        Assert.Contains(advice, a => a.StartsWith("Strong 50 Hz hum at T8", StringComparison.Ordinal));
        Assert.Contains(advice, a => a.StartsWith("Electrode pops at C3", StringComparison.Ordinal));
        Assert.Contains(advice, a => a.Contains("muscle burst", StringComparison.Ordinal) && a.Contains("T7", StringComparison.Ordinal));

        // The next look continues where the last ended.
        var next = JsonDocument.Parse((await devices.MonitorSignalQualityAsync(Technician, "lab1-eeg-01", 2, null, null, Ct)).Result!).RootElement;
        Assert.Equal(30 * 250, next.GetProperty("first_sample").GetInt64());
    }

    [Fact]
    public async Task MonitorSignalQuality_WhileRecording_WatchesTheRecordedSamples_AndOtherCommandsDoNotWaitForIt()
    {
        var storage = azurite.IsolatedOptions();
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage, FaultyEeg);
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();
        await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        var started = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", PatientPseudonym.New().Value, null, null, 20, null, Ct);
        var sessionId = JsonDocument.Parse(started.Result!).RootElement.GetProperty("session_id").GetString();

        // A technician limited to other patients cannot mark, watch or stop this patient's recording.
        var scoped = Technician with { PatientScope = new HashSet<PatientPseudonym> { PatientPseudonym.New() } };
        foreach (var refused in new Func<Task>[]
        {
            () => devices.SendAsync(scoped, "lab1-eeg-01", "insert_marker", """{"label":"x"}""", 5, null, Ct),
            () => devices.MonitorSignalQualityAsync(scoped, "lab1-eeg-01", 5, 5, null, Ct),
            () => devices.SendAsync(scoped, "lab1-eeg-01", "stop_recording", "{}", 5, null, Ct),
        })
        {
            var error = await Assert.ThrowsAsync<InvalidRequestException>(refused);
            Assert.StartsWith("Device lab1-eeg-01 is recording a patient outside your patient scope", error.Message, StringComparison.Ordinal);
        }

        // 60 s of signal at 20× real time: 3 s on the relay. Sent without waiting; a marker meanwhile is answered at once.
        var watching = await devices.MonitorSignalQualityAsync(Technician, "lab1-eeg-01", 60, 0, null, Ct);
        Assert.False(CommandStates.IsFinished(watching.State), watching.State);
        var marked = await devices.SendAsync(Technician, "lab1-eeg-01", "insert_marker", """{"label":"eyes_closed"}""", 10, null, Ct);
        Assert.True(marked.State == CommandStates.Succeeded, marked.Error);
        Assert.NotEqual(CommandStates.Succeeded, (await devices.GetCommandAsync(watching.Id, Technician, Ct)).State);

        var done = await ControlPlaneHosts.PollAsync(() => devices.GetCommandAsync(watching.Id, Technician, Ct), c => CommandStates.IsFinished(c.State));
        Assert.True(done.State == CommandStates.Succeeded, done.Error);
        var report = JsonDocument.Parse(done.Result!).RootElement;
        Assert.Equal(sessionId, report.GetProperty("session_id").GetString());
        var (first, count) = (report.GetProperty("first_sample").GetInt64(), report.GetProperty("sample_count").GetInt32());
        Assert.Equal(60 * 250, count);
        Assert.True(first > 0, "the recording had already started");

        // The samples it judged are the recording's: the same figures come from the catalog's copy.
        await devices.SendAsync(Technician, "lab1-eeg-01", "stop_recording", "{}", 30, null, Ct);
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        var session = await new SessionCatalog(clients).GetAsync(SessionId.Parse(sessionId!), Ct);
        var window = await new SignalWindowReader(new SignalStore(clients)).ReadAsync(session!, first, count, Enumerable.Range(0, 16).ToArray(), Ct);
        var stored = window.Data.SelectMany(row => row.Select(v => (float)v)).ToArray();
        var names = session!.Channels.Select(c => c.Name).ToArray();
        var expected = SignalQuality.Assess(stored, new QualityInput(250, names, QualityProfile.Eeg(250), 50, 187_500, [0, 1]));
        Assert.Equal(expected.Channels.Select(c => c.Score), report.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("score").GetInt32()));
        Assert.Equal(expected.Score, report.GetProperty("score").GetInt32());
    }
}

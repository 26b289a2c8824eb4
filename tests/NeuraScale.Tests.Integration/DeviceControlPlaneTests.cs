using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.EdgeRelay;
using NeuraScale.Processing;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage;
using NeuraScale.Storage.Devices;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The device control plane on Azurite: a relay (its own host, outbound polling) and the tools' service never talk
/// directly — commands go through the relay's queue and the commands table. Round trips, one effect per command
/// however often it is delivered, expired commands never run, offline relays reported at once, and commands sent while
/// a relay is down run when it returns.
/// </summary>
public sealed class DeviceControlPlaneTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Technician = new("key:tech", "tech", new HashSet<string> { "technician" }, new HashSet<string> { Permissions.DevicesRead, Permissions.DevicesControl }, null);

    [Fact]
    public async Task Commands_RunOnTheRelay_ThroughItsQueue_AndTheStateMachineHolds()
    {
        var storage = azurite.IsolatedOptions();
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage);
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();

        var listed = Assert.Single(await devices.ListAsync(null, null, null, Ct));
        Assert.Equal(("lab1-eeg-01", DeviceStates.Disconnected, "lab1", 16), (listed.Device.Id, listed.Status, listed.Device.RelayId, listed.Device.ChannelCount));

        var connected = await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        Assert.Equal(CommandStates.Succeeded, connected.State);
        Assert.Equal("connected", JsonDocument.Parse(connected.Result!).RootElement.GetProperty("state").GetString());
        Assert.Equal(DeviceStates.Connected, Assert.Single(await devices.ListAsync("eeg", "connected", "lab1", Ct)).Status);

        var again = await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        Assert.Equal("already connected", JsonDocument.Parse(again.Result!).RootElement.GetProperty("outcome").GetString());

        // Impedances against the simulator's ground truth: T8 has poor contact by configuration.
        var truth = new NeuraScale.Amplifiers.Simulation.SimulatedAmplifier(new NeuraScale.Amplifiers.Simulation.SimulatorOptions { DeviceId = "lab1-eeg-01", ChannelCount = 16, SamplingRateHz = 250, PoorContactChannels = ["T8"] }).MeasureImpedance()!;
        var impedance = JsonDocument.Parse((await devices.SendAsync(Technician, "lab1-eeg-01", "check_impedance", "{}", 10, null, Ct)).Result!).RootElement;
        var rated = impedance.GetProperty("channels").EnumerateArray().ToArray();
        Assert.Equal(truth.Select(z => Math.Round(z, 1)), rated.Select(c => c.GetProperty("impedance_kohm").GetDouble()));
        Assert.All(rated, c => Assert.Equal(c.GetProperty("impedance_kohm").GetDouble() switch { < 5 => "good", < 10 => "acceptable", _ => "poor" }, c.GetProperty("rating").GetString()));
        Assert.Equal("poor", rated.Single(c => c.GetProperty("channel").GetString() == "T8").GetProperty("rating").GetString());
        Assert.False(impedance.GetProperty("ready_to_record").GetBoolean());
        Assert.StartsWith("Poor contact at T8 (", impedance.GetProperty("recommendations")[0].GetString(), StringComparison.Ordinal);

        var diagnostics = await devices.SendAsync(Technician, "lab1-eeg-01", "get_diagnostics", "{}", 10, null, Ct);
        var report = JsonDocument.Parse(diagnostics.Result!).RootElement;
        Assert.InRange(report.GetProperty("battery_percent").GetDouble(), 0, 100);
        Assert.Equal(16, report.GetProperty("settings").GetProperty("channels").GetArrayLength());
        Assert.Equal(250, report.GetProperty("settings").GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal(18, report.GetProperty("clock_drift_ppm").GetDouble());
        Assert.Equal([250.0, 500, 1000, 2000], report.GetProperty("capabilities").GetProperty("sampling_rate_hz").EnumerateArray().Select(r => r.GetDouble()));

        var unknown = await devices.SendAsync(Technician, "lab1-eeg-01", "self_destruct", "{}", 10, null, Ct);
        Assert.Equal(CommandStates.Failed, unknown.State);
        Assert.Contains("does not know the command 'self_destruct'", unknown.Error, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.SendAsync(Technician, "lab9-eeg", "connect", "{}", 1, null, Ct));
        Assert.Contains("There is no device 'lab9-eeg'. Devices: lab1-eeg-01.", missing.Message, StringComparison.Ordinal);
        Assert.Equal(connected.Id, (await devices.GetCommandAsync(connected.Id, Technician, Ct)).Id);
        await Assert.ThrowsAsync<InvalidRequestException>(() => devices.GetCommandAsync(connected.Id, Technician with { Id = "key:other" }, Ct));
    }

    [Fact]
    public async Task ACommandDeliveredTwice_HasOneEffect_AndAnExpiredOneIsNeverRun()
    {
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        var store = new CommandStore(clients, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var command = new CommandRecord("cmd_twice", "lab1", "lab1-eeg-01", "connect", "{}", "key:tech", CommandStates.Queued, now, now.AddMinutes(2));
        await store.CreateAsync(command, Ct);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.TryClaimAsync("cmd_twice", "instance-" + i, Ct)));
        Assert.Single(claims, c => c.Claimed);

        var expired = command with { Id = "cmd_late", CreatedAt = now.AddMinutes(-3), ExpiresAt = now.AddSeconds(-1) };
        await store.CreateAsync(expired, Ct);
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage);
        await new RelayQueues(clients).SendAsync("lab1", "cmd_late", TimeSpan.FromMinutes(1), Ct);
        var settled = await ControlPlaneHosts.PollAsync(() => store.GetAsync("cmd_late", Ct), c => c!.State != CommandStates.Queued);
        Assert.Equal(CommandStates.Expired, settled!.State);
        Assert.Contains("was not run", settled.Error, StringComparison.Ordinal);
        Assert.Equal(DeviceStates.Disconnected, (await new RelayRegistry(clients).GetDeviceAsync("lab1-eeg-01", Ct))!.State);
    }

    [Fact]
    public async Task ARelayThatStoppedHeartbeating_IsReportedOfflineAtOnce_AndACommandSentWhileItIsDown_RunsWhenItReturns()
    {
        var storage = azurite.IsolatedOptions();
        var relay = await ControlPlaneHosts.StartRelayAsync(storage);
        await relay.StopAsync(Ct);
        relay.Dispose();

        // Not yet past the offline window: the command is queued, and runs when the relay is back.
        await using (var server = ControlPlaneHosts.Server(storage, TimeProvider.System))
        {
            var devices = server.GetRequiredService<DeviceControlService>();
            var queued = await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 0, null, Ct);
            Assert.Equal(CommandStates.Queued, queued.State);

            using var back = await ControlPlaneHosts.StartRelayAsync(storage);
            var done = await ControlPlaneHosts.PollAsync(() => devices.GetCommandAsync(queued.Id, Technician, Ct), c => CommandStates.IsFinished(c.State));
            Assert.Equal(CommandStates.Succeeded, done.State);
            await back.StopAsync(Ct);
        }

        // Three minutes later on the server's clock: offline, said at once, nothing queued.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(3));
        await using (var server = ControlPlaneHosts.Server(storage, later))
        {
            var devices = server.GetRequiredService<DeviceControlService>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var offline = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.SendAsync(Technician, "lab1-eeg-01", "disconnect", "{}", 30, null, Ct));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
            Assert.Matches(@"^Device lab1-eeg-01 is offline: relay lab1 last seen 3 min ago \(it heartbeats every 1 s; offline after 30 s\)", offline.Message);
            Assert.Equal(DeviceStates.Offline, Assert.Single(await devices.ListAsync(null, "offline", null, Ct)).Status);
        }
    }

    [Fact]
    public async Task ARecordingStartedThroughTheTools_IsListedAtOnce_EndsAtItsDuration_AndOneDeviceRecordsOneSessionAtATime()
    {
        var storage = azurite.IsolatedOptions();
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage);
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();
        var catalog = new NeuraScale.Storage.Catalog.SessionCatalog(StorageServiceCollectionExtensions.CreateClients(storage));
        var patient = PatientPseudonym.New().Value;

        var notConnected = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", patient, 2, "resting", 10, null, Ct);
        Assert.Equal(CommandStates.Failed, notConnected.State);
        Assert.Contains("is disconnected: start_recording is not possible now. Allowed while disconnected: connect_device", notConnected.Error, StringComparison.Ordinal);

        await devices.SendAsync(Technician, "lab1-eeg-01", "connect", "{}", 10, null, Ct);
        var started = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", patient, 2, "resting, eyes closed", 20, null, Ct);
        Assert.True(started.State == CommandStates.Succeeded, started.Error);
        var sessionId = SessionId.Parse(JsonDocument.Parse(started.Result!).RootElement.GetProperty("session_id").GetString()!);
        var listed = await catalog.GetAsync(sessionId, Ct);
        Assert.Equal((SessionStatus.Recording, patient, "lab1-eeg-01"), (listed!.Status, listed.Patient.Value, listed.DeviceId));

        var second = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", patient, 2, null, 10, null, Ct);
        Assert.Equal(CommandStates.Failed, second.State);
        Assert.Contains("is recording: start_recording is not possible now. Allowed while recording: insert_marker, monitor_signal_quality, stop_recording", second.Error, StringComparison.Ordinal);

        var completed = await ControlPlaneHosts.PollAsync(() => catalog.GetAsync(sessionId, Ct), s => s!.Status == SessionStatus.Completed);
        Assert.Equal(2 * 250, completed!.SampleCount); // exactly the duration asked for, at the device's rate
        var device = await ControlPlaneHosts.PollAsync(() => devices.GetDeviceAsync("lab1-eeg-01", Ct), v => v.Status == DeviceStates.Connected);
        Assert.Equal(DeviceStates.Connected, device.Status);

        // Until stopped: stop_recording answers once storage has it all.
        var open = await devices.StartRecordingAsync(Technician, "lab1-eeg-01", patient, null, null, 20, null, Ct);
        var openId = SessionId.Parse(JsonDocument.Parse(open.Result!).RootElement.GetProperty("session_id").GetString()!);
        await Task.Delay(600, Ct); // real-time signal from the simulated amplifier
        var marked = await devices.SendAsync(Technician, "lab1-eeg-01", "insert_marker", """{"label":"eyes_open"}""", 10, null, Ct);
        Assert.True(marked.State == CommandStates.Succeeded, marked.Error);
        var markedAt = JsonDocument.Parse(marked.Result!).RootElement.GetProperty("sample").GetInt64();
        await Task.Delay(600, Ct);
        var stopped = await devices.SendAsync(Technician, "lab1-eeg-01", "stop_recording", "{}", 30, null, Ct);
        Assert.True(stopped.State == CommandStates.Succeeded, stopped.Error);
        var closed = await catalog.GetAsync(openId, Ct);
        Assert.Equal(SessionStatus.Completed, closed!.Status);
        Assert.True(closed.SampleCount >= 250, $"{closed.SampleCount} samples");
        var events = (await new NeuraScale.Storage.Signals.SignalWindowReader(new NeuraScale.Storage.Signals.SignalStore(StorageServiceCollectionExtensions.CreateClients(storage)))
            .ReadAsync(closed, 0, (int)closed.SampleCount, [0], Ct)).Events;
        Assert.Contains(new EventMarker(markedAt, 0, "eyes_open"), events); // stored at the sample the tool reported
        Assert.InRange(markedAt, 1, closed.SampleCount - 1);
        var noRecording = await devices.SendAsync(Technician, "lab1-eeg-01", "insert_marker", """{"label":"late"}""", 10, null, Ct);
        Assert.Contains("is connected: insert_marker is not possible now", noRecording.Error, StringComparison.Ordinal);

        var scoped = Technician with { PatientScope = new HashSet<PatientPseudonym> { PatientPseudonym.New() } };
        var outside = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.StartRecordingAsync(scoped, "lab1-eeg-01", patient, 2, null, 1, null, Ct));
        Assert.Contains("is not one you may record", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlaybackDevice_RecordsARealEeg_IntoTheCatalog_SampleForSample()
    {
        var storage = azurite.IsolatedOptions();
        var file = Path.Combine(RepositoryPaths.Root, "tests", "data", "eegmmidb", "S001R02.edf");
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage, new()
        {
            ["Control:Playback:0:DeviceId"] = "lab1-playback",
            ["Control:Playback:0:Path"] = file,
            ["Control:Playback:0:Speed"] = "20",
        });
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var devices = server.GetRequiredService<DeviceControlService>();

        var listed = Assert.Single(await devices.ListAsync(null, null, "lab1", Ct), d => d.Device.Id == "lab1-playback");
        Assert.Equal(("edf-playback", 64, 160.0), (listed.Device.Driver, listed.Device.ChannelCount, listed.Device.SamplingRateHz));
        await devices.SendAsync(Technician, "lab1-playback", "connect", "{}", 10, null, Ct);
        var impedance = await devices.SendAsync(Technician, "lab1-playback", "check_impedance", "{}", 10, null, Ct);
        Assert.Contains("does not measure electrode impedance: it replays a recorded file", impedance.Error, StringComparison.Ordinal);

        var started = await devices.StartRecordingAsync(Technician, "lab1-playback", PatientPseudonym.New().Value, 2, "EEGMMIDB S001R02, eyes closed", 20, null, Ct);
        var sessionId = SessionId.Parse(JsonDocument.Parse(started.Result!).RootElement.GetProperty("session_id").GetString()!);
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        var session = await ControlPlaneHosts.PollAsync(() => new NeuraScale.Storage.Catalog.SessionCatalog(clients).GetAsync(sessionId, Ct), s => s!.Status == SessionStatus.Completed);
        Assert.Equal(2 * 160, session!.SampleCount);

        // The stored samples are the file's (as float32), channel for channel.
        using var source = NeuraScale.Formats.Edf.EdfSessionSource.Open(file);
        var window = await new NeuraScale.Storage.Signals.SignalWindowReader(new NeuraScale.Storage.Signals.SignalStore(clients)).ReadAsync(session, 0, 320, [0, 31, 63], Ct);
        foreach (var (channel, row) in new[] { 0, 31, 63 }.Select((c, i) => (c, i)))
        {
            var expected = source.ReadChannel(channel, 0, 2);
            Assert.Equal(expected.Take(320).Select(v => (float)v), window.Data[row].Select(v => (float)v));
        }
    }
}

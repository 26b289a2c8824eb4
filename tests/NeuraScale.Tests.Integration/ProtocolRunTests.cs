using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing;
using NeuraScale.Processing.Clinical;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Devices;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;
using NeuraScale.Workflows.Hosting;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Protocols run as durable orchestrations (Durable Task over the Azure Storage provider on Azurite) on a relay's
/// simulated amplifier: the steps' markers land in the recording in order and each step lasts its recording time;
/// consent, electrodes and signal quality end a run early with the reason; an operator's stop ends it cleanly; and a
/// run survives the instance running it being stopped mid-step — another instance finishes it.
/// </summary>
public sealed class ProtocolRunTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Technologist = new(
        "key:tech", "technologist", new HashSet<string> { "technician" },
        new HashSet<string> { Permissions.DevicesRead, Permissions.DevicesControl, Permissions.ClinicalRead, Permissions.ClinicalWrite }, null);

    /// <summary>The relay's simulated EEG at 40× real time (T8 poorly attached, as the relay host starts it).</summary>
    private static readonly Dictionary<string, string?> FastEeg = new() { ["Control:Devices:0:Speed"] = "40" };

    private static readonly ProtocolRunParameters Lenient = new(null, ImpedanceMaxKiloohms: 100, MinQualityScore: 10);

    private static async Task<IHost> StartServerAsync(StorageOptions storage, string taskHub)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Workflows:TaskHubName"] = taskHub, ["Workflows:TakeoverSeconds"] = "10", ["Workflows:PartitionCount"] = "1" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddNeuraScaleStorage(builder.Configuration).AddNeuraScaleApplication(builder.Configuration).AddNeuraScaleWorkflows(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    private static string NewHub() => "Runs" + Identifiers.RandomBase32(10).Replace('2', 'a').Replace('3', 'b').Replace('4', 'c').Replace('5', 'd').Replace('6', 'e').Replace('7', 'f');

    private static async Task<PatientPseudonym> PatientWithConsentAsync(IServiceProvider services, string? purpose)
    {
        var patient = await services.GetRequiredService<PatientRegistry>().RegisterAsync(new PatientIdentity("Test", "Patient", new DateOnly(1980, 1, 2), "MRN-" + Identifiers.RandomBase32(8)), Ct);
        if (purpose is not null)
        {
            await services.GetRequiredService<ConsentService>().RecordAsync(Technologist, patient.Pseudonym.Value, purpose, given: true, "signed form", Ct);
        }

        return patient.Pseudonym;
    }

    private static async Task<(IHost Relay, IHost Server)> StartAsync(StorageOptions storage, string hub)
    {
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var relay = await ControlPlaneHosts.StartRelayAsync(storage, FastEeg);
        var server = await StartServerAsync(storage, hub);
        await ControlPlaneHosts.PollAsync(() => server.Services.GetRequiredService<RelayRegistry>().GetDeviceAsync("lab1-eeg-01", Ct), d => d is not null);
        return (relay, server);
    }

    [Fact]
    public async Task TheRestingStateProtocol_RunsEveryStep_MarkersInOrder_EachStepItsRecordingTime()
    {
        var storage = azurite.IsolatedOptions();
        var (relay, server) = await StartAsync(storage, NewHub());
        using var relayHost = relay;
        using var serverHost = server;
        var patient = await PatientWithConsentAsync(server.Services, ConsentPurposes.Research);
        var runs = server.Services.GetRequiredService<ProtocolRunService>();

        var soon = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var appointment = await server.Services.GetRequiredService<SchedulingService>().BookAsync(Technologist, new AppointmentRequest(patient.Value, "resting-state", "lab1-eeg-01", "T. Tech", soon, "UTC", null), Ct);
        var runId = await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-eeg-01", Lenient with { AppointmentId = appointment.Id }, Ct);
        var phases = new List<string>();
        var status = await runs.FollowAsync(Technologist, runId, TimeSpan.FromMinutes(6), new Progress<Processing.Clinical.Runs.ProtocolRunProgress>(p => phases.Add(p.Phase + ":" + p.StepId)), Ct);

        Assert.Equal("completed", status.State);
        var result = status.Result!;
        Assert.Equal("completed", result.Status);
        Assert.Null(result.StopReason);
        Assert.Equal(["eyes-open-1", "eyes-closed-1", "eyes-open-2", "eyes-closed-2"], result.Steps.Select(s => s.StepId));
        Assert.All(result.Steps, s => Assert.Equal("completed", s.Outcome));
        Assert.Contains(result.Impedances, i => i.Channel == "T8" && i.Kiloohms > 20); // measured, and under the lenient threshold
        Assert.Single(result.Steps[0].QualityScores);
        for (var i = 0; i < result.Steps.Count; i++)
        {
            var step = result.Steps[i];
            Assert.True(step.EndSeconds - step.StartSeconds >= 60 - 1e-9, $"{step.StepId} lasted {step.EndSeconds - step.StartSeconds} s of recording");
            if (i > 0)
            {
                Assert.True(step.StartSeconds >= result.Steps[i - 1].StartSeconds + 60 - 1e-9);
            }
        }

        // The recording holds the markers where the run says, and it was stopped at the end.
        var session = (await server.Services.GetRequiredService<SessionCatalog>().GetAsync(SessionId.Parse(result.SessionId!), Ct))!;
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Equal(patient, session.Patient);
        Assert.Contains(runId, session.Description, StringComparison.Ordinal);
        var events = (await server.Services.GetRequiredService<SignalWindowReader>().ReadAsync(session, 0, (int)session.SampleCount, [0], Ct)).Events;
        Assert.Equal(["EO rest", "EC rest", "EO rest", "EC rest", "End of protocol"], events.Select(e => e.Label).Where(l => l is "EO rest" or "EC rest" or "End of protocol"));
        var starts = events.Where(e => e.Label is "EO rest" or "EC rest").Select(e => e.Sample / session.SamplingRateHz).ToList();
        Assert.Equal(result.Steps.Select(s => s.StartSeconds!.Value), starts, (a, b) => Math.Abs(a - b) < 1e-3);
        Assert.True(result.RecordedSeconds >= 240);
        // The run asked for its report (research, as the protocol's consent): a queued job of the technologist's.
        Assert.Null(result.ReportProblem);
        var report = await server.Services.GetRequiredService<Processing.Jobs.JobService>().GetAsync(result.ReportJobId!, Technologist, new Processing.Jobs.JobDelivery(TimeSpan.Zero, TimeSpan.FromHours(1)), Ct);
        Assert.Equal("report", report.Job.Kind);
        Assert.Equal("research", Processing.Reports.ReportJobHandler.Request(report.Job).Type);
        Assert.Contains("step:eyes-closed-2", phases);
        // The appointment it was booked as now names the session recorded for it.
        Assert.Equal([result.SessionId!], (await server.Services.GetRequiredService<SchedulingService>().OwnAsync(Technologist, appointment.Id, Ct)).Sessions);
        await relay.StopAsync(Ct);
    }

    [Fact]
    public async Task WithoutConsent_PoorElectrodes_OrPoorSignal_TheRunEndsEarly_SayingWhy_AndTheRecordingIsStopped()
    {
        var storage = azurite.IsolatedOptions();
        var (relay, server) = await StartAsync(storage, NewHub());
        using var relayHost = relay;
        using var serverHost = server;
        var runs = server.Services.GetRequiredService<ProtocolRunService>();

        // No consent for research: refused before anything is sent to the device.
        var unconsented = await PatientWithConsentAsync(server.Services, ConsentPurposes.ClinicalCare);
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => runs.StartAsync(Technologist, "resting-state", unconsented.Value, "lab1-eeg-01", Lenient, Ct));
        Assert.Contains("has no recorded consent for research", refused.Message, StringComparison.Ordinal);

        // T8 is poorly attached: the protocol's 20 kΩ stop threshold refuses to record, naming it.
        var patient = await PatientWithConsentAsync(server.Services, ConsentPurposes.Research);
        var electrodes = await runs.FollowAsync(Technologist, await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-eeg-01", new(null, null, null), Ct), TimeSpan.FromMinutes(2), null, Ct);
        Assert.Equal("refused", electrodes.Result!.Status);
        Assert.Matches(@"above the 20 kΩ stop threshold: T8 \d", electrodes.Result.StopReason);
        Assert.Null(electrodes.Result.SessionId);
        Assert.All(electrodes.Result.Steps, s => Assert.Equal("not_run", s.Outcome));

        // A signal-quality minimum nobody meets: the first check stops the run; the recording is stopped and says why.
        var strict = await runs.FollowAsync(Technologist, await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-eeg-01", new(null, 100, 100), Ct), TimeSpan.FromMinutes(2), null, Ct);
        Assert.Equal("stopped_early", strict.Result!.Status);
        Assert.Contains("Eyes open: signal quality", strict.Result.StopReason, StringComparison.Ordinal);
        Assert.Equal(["stopped", "not_run", "not_run", "not_run"], strict.Result.Steps.Select(s => s.Outcome));
        var session = (await server.Services.GetRequiredService<SessionCatalog>().GetAsync(SessionId.Parse(strict.Result.SessionId!), Ct))!;
        Assert.Equal(SessionStatus.Completed, session.Status);
        var labels = (await server.Services.GetRequiredService<SignalWindowReader>().ReadAsync(session, 0, (int)session.SampleCount, [0], Ct)).Events.Select(e => e.Label).ToList();
        Assert.Contains(labels, l => l.StartsWith("Protocol stopped: Eyes open: signal quality", StringComparison.Ordinal));
        await relay.StopAsync(Ct);
    }

    [Fact]
    public async Task AnOperatorsStop_EndsTheStepMarksWhy_AndStopsTheRecording()
    {
        var storage = azurite.IsolatedOptions();
        var (relay, server) = await StartAsync(storage, NewHub());
        using var relayHost = relay;
        using var serverHost = server;
        var runs = server.Services.GetRequiredService<ProtocolRunService>();
        var patient = await PatientWithConsentAsync(server.Services, ConsentPurposes.Research);
        var runId = await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-eeg-01", Lenient, Ct);
        await ControlPlaneHosts.PollAsync(() => runs.GetAsync(Technologist, runId, Ct), s => s.Progress?.StepId == "eyes-closed-1");

        await runs.StopAsync(Technologist, runId, "patient unwell", Ct);
        var status = await runs.FollowAsync(Technologist, runId, TimeSpan.FromMinutes(2), null, Ct);

        Assert.Equal("stopped_early", status.Result!.Status);
        Assert.Equal("Eyes closed: stopped by the operator (patient unwell)", status.Result.StopReason);
        Assert.Equal(["completed", "stopped", "not_run", "not_run"], status.Result.Steps.Select(s => s.Outcome));
        var device = await server.Services.GetRequiredService<RelayRegistry>().GetDeviceAsync("lab1-eeg-01", Ct);
        Assert.NotEqual(DeviceStates.Recording, device!.State);
        await Assert.ThrowsAsync<InvalidRequestException>(() => runs.StopAsync(Technologist, runId, null, Ct)); // already ended
        var other = Technologist with { Id = "key:other" };
        await Assert.ThrowsAsync<InvalidRequestException>(() => runs.GetAsync(other, runId, Ct)); // another caller's run does not exist for them
        await relay.StopAsync(Ct);
    }

    [Fact]
    public async Task ARunSurvivesTheInstanceRunningItBeingStoppedMidStep_AnotherInstanceFinishesIt()
    {
        var storage = azurite.IsolatedOptions();
        var hub = NewHub();
        var (relay, first) = await StartAsync(storage, hub);
        using var relayHost = relay;
        var patient = await PatientWithConsentAsync(first.Services, ConsentPurposes.Research);
        var runs = first.Services.GetRequiredService<ProtocolRunService>();
        var runId = await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-eeg-01", Lenient, Ct);
        await ControlPlaneHosts.PollAsync(() => runs.GetAsync(Technologist, runId, Ct), s => s.Progress?.StepId == "eyes-closed-1");

        // The instance goes away mid-step (its worker, backend and client with it).
        await first.StopAsync(Ct);
        first.Dispose();

        using var second = await StartServerAsync(storage, hub);
        var status = await second.Services.GetRequiredService<ProtocolRunService>().FollowAsync(Technologist, runId, TimeSpan.FromMinutes(6), null, Ct);

        Assert.True(status.Result!.Status == "completed", $"{status.Result.Status}: {status.Result.StopReason}");
        Assert.All(status.Result.Steps, s => Assert.Equal("completed", s.Outcome));
        // One recording for the run: the restarted activities adopted it rather than starting another.
        var sessions = (await second.Services.GetRequiredService<SessionCatalog>().QueryAsync(new SessionQuery { Patient = patient }, Ct)).Sessions;
        Assert.Single(sessions);
        Assert.Equal(SessionStatus.Completed, sessions[0].Status);
        await relay.StopAsync(Ct);
    }

    [Fact]
    public async Task TheRestingStateProtocol_RunsOnAPlaybackOfRealEeg_EyesOpenThenClosed_AcrossFilesAndLoops()
    {
        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var data = Path.Combine(RepositoryPaths.Root, "tests", "data", "eegmmidb");
        // EEGMMIDB subject 1: run 1 eyes open, run 2 eyes closed (61 s each), played one after the other, looping.
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage, new()
        {
            ["Control:Playback:0:DeviceId"] = "lab1-playback",
            ["Control:Playback:0:Path"] = Path.Combine(data, "S001R01.edf"),
            ["Control:Playback:0:ThenPaths:0"] = Path.Combine(data, "S001R02.edf"),
            ["Control:Playback:0:Loop"] = "true",
            ["Control:Playback:0:Speed"] = "20",
            ["Control:Playback:0:LineFrequencyHz"] = "60",
        });
        using var server = await StartServerAsync(storage, NewHub());
        await ControlPlaneHosts.PollAsync(() => server.Services.GetRequiredService<RelayRegistry>().GetDeviceAsync("lab1-playback", Ct), d => d is not null);
        var patient = await PatientWithConsentAsync(server.Services, ConsentPurposes.Research);
        var runs = server.Services.GetRequiredService<ProtocolRunService>();

        var status = await runs.FollowAsync(Technologist, await runs.StartAsync(Technologist, "resting-state", patient.Value, "lab1-playback", new(null, null, MinQualityScore: 0), Ct), TimeSpan.FromMinutes(6), null, Ct);

        var result = status.Result!;
        Assert.True(result.Status == "completed", $"{result.Status}: {result.StopReason}");
        Assert.Equal("Not measured: lab1-playback replays a recorded file and has no electrodes to measure.", result.ImpedanceNote);
        Assert.All(result.Steps, s => Assert.Equal("completed", s.Outcome));
        Assert.True(result.RecordedSeconds >= 240); // longer than both files: the playback looped

        // The recording is the files, sample for sample, across the file boundary and the loop.
        var session = (await server.Services.GetRequiredService<SessionCatalog>().GetAsync(SessionId.Parse(result.SessionId!), Ct))!;
        using var r01 = NeuraScale.Formats.Edf.EdfSessionSource.Open(Path.Combine(data, "S001R01.edf"));
        using var r02 = NeuraScale.Formats.Edf.EdfSessionSource.Open(Path.Combine(data, "S001R02.edf"));
        var reader = server.Services.GetRequiredService<SignalWindowReader>();
        var perRecord = r01.SamplesPerRecord;
        foreach (var (at, file, record) in new[] { (r01.SampleCount - perRecord, r01, r01.SampleCount / perRecord - 1), (r01.SampleCount, r02, 0L), (r01.SampleCount + r02.SampleCount, r01, 0L) })
        {
            var stored = (await reader.ReadAsync(session, at, perRecord, [5], Ct)).Data[0];
            Assert.Equal(file.ReadChannel(5, record, 1).Select(v => (float)v), stored.Select(v => (float)v));
        }
    }
}

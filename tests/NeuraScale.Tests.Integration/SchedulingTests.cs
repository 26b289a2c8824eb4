using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Clinical;
using NeuraScale.Storage;
using NeuraScale.Storage.Devices;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.Scheduling;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The recording schedule on Azurite: local times in an explicit time zone (stored as UTC; clock changes refused),
/// no device or patient double-booked — also when two instances book the same slot at the same moment — and
/// reschedule and cancel keeping the book consistent.
/// </summary>
public sealed class SchedulingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Scheduler = new("key:desk", "desk", new HashSet<string>(), new HashSet<string> { Permissions.ClinicalRead, Permissions.ClinicalWrite }, null);

    private static AppointmentRequest At(PatientPseudonym patient, string start, string device = "lab1-eeg-01", int? minutes = 60, string zone = "Europe/Berlin") =>
        new(patient.Value, "routine-eeg", device, "T. Tech", start, zone, minutes);

    [Fact]
    public async Task Bookings_InLocalTime_NoDoubleBooking_RescheduleAndCancel_AcrossInstances()
    {
        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        using var relay = await ControlPlaneHosts.StartRelayAsync(storage, new() { ["Control:Devices:1:DeviceId"] = "lab1-eeg-02" });
        await using var first = ControlPlaneHosts.Server(storage, TimeProvider.System);
        await using var second = ControlPlaneHosts.Server(storage, TimeProvider.System);
        await ControlPlaneHosts.PollAsync(() => first.GetRequiredService<RelayRegistry>().GetDeviceAsync("lab1-eeg-02", Ct), d => d is not null);
        var registry = first.GetRequiredService<PatientRegistry>();
        var ada = (await registry.RegisterAsync(new PatientIdentity("Ada", "A", new DateOnly(1980, 1, 1), "MRN-S1"), Ct)).Pseudonym;
        var ben = (await registry.RegisterAsync(new PatientIdentity("Ben", "B", new DateOnly(1981, 1, 1), "MRN-S2"), Ct)).Pseudonym;
        var schedule = first.GetRequiredService<SchedulingService>();

        // 09:00 in Berlin in winter is 08:00 UTC; the default duration is the protocol's recording time plus set-up.
        var booked = await schedule.BookAsync(Scheduler, At(ada, "2030-12-02T09:00", minutes: null), Ct);
        Assert.Equal(new DateTimeOffset(2030, 12, 2, 8, 0, 0, TimeSpan.Zero), booked.Start);
        Assert.Equal(20 + 15, booked.ExpectedMinutes);
        Assert.Equal("2030-12-02T09:00+01:00", SchedulingService.LocalStart(booked));

        // The device at an overlapping time, or the patient on another device: refused, naming the appointment.
        var device = await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2030-12-02T09:30"), Ct));
        Assert.Contains($"Device lab1-eeg-01 is already booked then: appointment {booked.Id}", device.Message, StringComparison.Ordinal);
        var patient = await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ada, "2030-12-02T08:30", "lab1-eeg-02"), Ct));
        Assert.Contains($"Patient {ada} is already booked then: appointment {booked.Id}", patient.Message, StringComparison.Ordinal);
        // Back to back is fine; the same instant in another zone is the same instant.
        var next = await schedule.BookAsync(Scheduler, At(ben, "2030-12-02T09:35"), Ct);
        await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2030-12-02T08:40", "lab1-eeg-02", zone: "UTC"), Ct));

        // Clock changes, unknown zones, the past: refused, saying what to do.
        Assert.Contains("does not exist in Europe/Berlin", (await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2030-03-31T02:30", "lab1-eeg-02"), Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("happens twice in Europe/Berlin", (await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2030-10-27T02:30", "lab1-eeg-02"), Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("IANA time zone", (await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2030-12-03T09:00", zone: "CET+1"), Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("in the past", (await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.BookAsync(Scheduler, At(ben, "2020-12-03T09:00"), Ct))).Message, StringComparison.Ordinal);

        // Rescheduling into a conflict is refused; moving to the other device works; cancelling frees the slot.
        await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.RescheduleAsync(Scheduler, next.Id, new AppointmentRequest(null, null, null, null, "2030-12-02T09:10", null, null), Ct));
        var moved = await schedule.RescheduleAsync(Scheduler, next.Id, new AppointmentRequest(null, null, "lab1-eeg-02", null, "2030-12-02T09:10", null, null), Ct);
        Assert.Equal(("lab1-eeg-02", new DateTimeOffset(2030, 12, 2, 8, 10, 0, TimeSpan.Zero)), (moved.DeviceId, moved.Start));
        await schedule.CancelAsync(Scheduler, booked.Id, "patient ill", Ct);
        var rebooked = await schedule.BookAsync(Scheduler, At(ada, "2030-12-02T09:00"), Ct);
        Assert.Equal(2, (await schedule.ListAsync(Scheduler, "2030-12-02T00:00:00+01:00", "2030-12-03T00:00:00+01:00", null, null, false, Ct)).Count);
        Assert.Equal(3, (await schedule.ListAsync(Scheduler, null, null, null, null, true, Ct)).Count);
        Assert.Equal([rebooked.Id], (await schedule.ListAsync(Scheduler, null, null, "lab1-eeg-01", null, false, Ct)).Select(a => a.Id));

        // Two instances booking one free slot at the same moment: exactly one gets it.
        var services = new[] { first, second }.Select(p => p.GetRequiredService<SchedulingService>()).ToArray();
        var patients = new List<PatientPseudonym>();
        for (var i = 0; i < 6; i++)
        {
            patients.Add((await registry.RegisterAsync(new PatientIdentity("P", "Race", new DateOnly(1990, 1, 1), $"MRN-R{i}"), Ct)).Pseudonym);
        }

        var attempts = await Task.WhenAll(patients.Select((p, i) => Attempt(services[i % 2], At(p, "2030-12-05T10:00"))));
        Assert.Single(attempts, a => a is not null);
        Assert.Single(await schedule.ListAsync(Scheduler, "2030-12-05T00:00:00Z", "2030-12-06T00:00:00Z", "lab1-eeg-01", null, false, Ct));

        // A scoped caller sees only their patients' appointments.
        var scoped = Scheduler with { Id = "key:scoped", PatientScope = new HashSet<PatientPseudonym> { ben } };
        Assert.Equal([moved.Id], (await schedule.ListAsync(scoped, null, null, null, null, true, Ct)).Select(a => a.Id));
        await Assert.ThrowsAsync<InvalidRequestException>(() => schedule.CancelAsync(scoped, rebooked.Id, null, Ct));
        await relay.StopAsync(Ct);
    }

    private static async Task<Appointment?> Attempt(SchedulingService service, AppointmentRequest request)
    {
        try
        {
            return await service.BookAsync(Scheduler, request, Ct);
        }
        catch (InvalidRequestException)
        {
            return null;
        }
    }
}

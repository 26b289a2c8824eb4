using System.Globalization;
using System.Security.Cryptography;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.Scheduling;

namespace NeuraScale.Processing.Clinical;

/// <summary>What book_appointment and reschedule_appointment were given (strings as the tools receive them).</summary>
public sealed record AppointmentRequest(string? PatientId, string? ProtocolId, string? DeviceId, string? Technologist, string? Start, string? TimeZone, int? ExpectedMinutes);

/// <summary>
/// Recording appointments: booked, listed, rescheduled and cancelled, with the time zone explicit (a local start time
/// and an IANA zone, stored as UTC), a device or patient booked twice refused naming the appointment in the way, and
/// the sessions recorded for an appointment linked to it. Checks and commit happen in one transaction of the
/// appointment book, so two instances cannot double-book. Every change is audited.
/// </summary>
public sealed class SchedulingService(AppointmentBook book, ProtocolCatalog protocols, PatientRegistry patients, DeviceControlService devices, IAuditLog audit, TimeProvider time)
{
    public const int MinMinutes = 5, MaxMinutes = 720;

    public async Task<Appointment> BookAsync(Caller caller, AppointmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var patient = await PatientAsync(caller, request.PatientId, cancellationToken).ConfigureAwait(false);
        var protocol = protocols.Get(request.ProtocolId);
        var device = (await devices.GetDeviceAsync(request.DeviceId ?? "", cancellationToken).ConfigureAwait(false)).Device.Id;
        var technologist = Technologist(request.Technologist);
        var (start, zone) = Start(request.Start, request.TimeZone);
        var minutes = Minutes(request.ExpectedMinutes ?? (int)Math.Ceiling(protocol.TotalSeconds / 60) + 15);
        var id = "apt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var booked = await book.CommitAsync(null, (all, _) =>
        {
            var candidate = new Appointment(id, patient, protocol.Id, device, technologist, start, zone.Id, minutes, Appointment.Booked, [], caller.Id, time.GetUtcNow(), null);
            Conflicts(all, candidate);
            return candidate;
        }, cancellationToken).ConfigureAwait(false);
        await AuditAsync(caller, "clinical/appointment:book", booked).ConfigureAwait(false);
        return booked;
    }

    /// <summary>Moves an appointment (start, time zone, device, duration; what is not given stays).</summary>
    public async Task<Appointment> RescheduleAsync(Caller caller, string appointmentId, AppointmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var existing = await OwnAsync(caller, appointmentId, cancellationToken).ConfigureAwait(false);
        var zoneId = request.TimeZone ?? existing.TimeZone;
        var (start, zone) = request.Start is null
            ? (existing.Start, Zone(zoneId))
            : Start(request.Start, zoneId);
        var device = request.DeviceId is null ? existing.DeviceId : (await devices.GetDeviceAsync(request.DeviceId, cancellationToken).ConfigureAwait(false)).Device.Id;
        var minutes = request.ExpectedMinutes is { } m ? Minutes(m) : existing.ExpectedMinutes;
        var technologist = request.Technologist is null ? existing.Technologist : Technologist(request.Technologist);
        var moved = await book.CommitAsync(existing.Id, (all, current) =>
        {
            if (current is not { Status: Appointment.Booked })
            {
                throw new InvalidRequestException($"Appointment {existing.Id} is {current?.Status ?? "gone"}; only a booked appointment can be rescheduled.");
            }

            var candidate = current with { Start = start, TimeZone = zone.Id, DeviceId = device, ExpectedMinutes = minutes, Technologist = technologist };
            Conflicts(all.Where(a => a.Id != current.Id), candidate);
            return candidate;
        }, cancellationToken).ConfigureAwait(false);
        await AuditAsync(caller, "clinical/appointment:reschedule", moved).ConfigureAwait(false);
        return moved;
    }

    public async Task<Appointment> CancelAsync(Caller caller, string appointmentId, string? reason, CancellationToken cancellationToken)
    {
        var existing = await OwnAsync(caller, appointmentId, cancellationToken).ConfigureAwait(false);
        if (reason is { Length: > 200 })
        {
            throw new InvalidRequestException("reason is at most 200 characters (no identifying text).");
        }

        var cancelled = await book.CommitAsync(existing.Id, (_, current) => current is { Status: Appointment.Booked }
            ? current with { Status = Appointment.Cancelled, CancelReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() }
            : throw new InvalidRequestException($"Appointment {existing.Id} is already {current?.Status ?? "gone"}."), cancellationToken).ConfigureAwait(false);
        await AuditAsync(caller, "clinical/appointment:cancel", cancelled).ConfigureAwait(false);
        return cancelled;
    }

    /// <summary>Appointments the caller may see, soonest first, optionally within [from, to) (ISO 8601 with offset) and for one device or patient.</summary>
    public async Task<IReadOnlyList<Appointment>> ListAsync(Caller caller, string? from, string? to, string? deviceId, string? patientId, bool includeCancelled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var start = Instant("from", from);
        var end = Instant("to", to);
        PatientPseudonym? patient = patientId is null ? null : PatientPseudonym.TryParse(patientId.Trim(), out var p) ? p : throw new InvalidRequestException($"patient_id '{patientId}' is not a pseudonym (psn_…).");
        return [.. (await book.ListAsync(cancellationToken).ConfigureAwait(false)).Where(a =>
            caller.CanSee(a.Patient)
            && (includeCancelled || a.Status == Appointment.Booked)
            && (start is null || a.End > start) && (end is null || a.Start < end)
            && (deviceId is null || a.DeviceId == deviceId.Trim())
            && (patient is null || a.Patient == patient))];
    }

    /// <summary>Records that a session was recorded for an appointment (a protocol run started for it).</summary>
    public async Task LinkSessionAsync(string appointmentId, string sessionId, CancellationToken cancellationToken) =>
        await book.CommitAsync(appointmentId, (_, current) => current is null
            ? throw new InvalidOperationException($"Appointment {appointmentId} does not exist.")
            : current.Sessions.Contains(sessionId) ? current : current with { Sessions = [.. current.Sessions, sessionId] }, cancellationToken).ConfigureAwait(false);

    /// <summary>An appointment the caller may act on (their patient scope), or a refusal that does not say whether it exists.</summary>
    public async Task<Appointment> OwnAsync(Caller caller, string? appointmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var appointment = appointmentId?.Trim() is { Length: > 4 } id && id.StartsWith("apt_", StringComparison.Ordinal) ? await book.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return appointment is not null && caller.CanSee(appointment.Patient)
            ? appointment
            : throw new InvalidRequestException($"Appointment '{appointmentId}' does not exist among those you may see; list_appointments shows them (ids look like apt_…).");
    }

    /// <summary>The local start in the appointment's own zone, for people.</summary>
    public static string LocalStart(Appointment appointment)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        return TimeZoneInfo.ConvertTime(appointment.Start, Zone(appointment.TimeZone)).ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);
    }

    private static void Conflicts(IEnumerable<Appointment> all, Appointment candidate)
    {
        foreach (var other in all.Where(a => a.Overlaps(candidate.Start, candidate.End)))
        {
            var what = other.DeviceId == candidate.DeviceId ? $"Device {candidate.DeviceId}" : other.Patient == candidate.Patient ? $"Patient {candidate.Patient}" : null;
            if (what is not null)
            {
                throw new InvalidRequestException(
                    $"{what} is already booked then: appointment {other.Id} ({other.ProtocolId} on {other.DeviceId}, {LocalStart(other)} {other.TimeZone}, {other.ExpectedMinutes} min). Choose another time{(what.StartsWith("Device", StringComparison.Ordinal) ? " or device" : "")}, or reschedule or cancel {other.Id}.");
            }
        }
    }

    private (DateTimeOffset Start, TimeZoneInfo Zone) Start(string? start, string? timeZone)
    {
        var zone = Zone(timeZone);
        if (!DateTime.TryParseExact(start?.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new InvalidRequestException($"start '{start}' must be the local date and time as yyyy-mm-ddThh:mm (e.g. 2026-12-01T09:30), in time_zone.");
        }

        if (zone.IsInvalidTime(local))
        {
            throw new InvalidRequestException($"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks jump forward then); choose another time.");
        }

        if (zone.IsAmbiguousTime(local))
        {
            throw new InvalidRequestException($"{local:yyyy-MM-dd HH:mm} happens twice in {zone.Id} (the clocks go back then); choose a time outside that hour.");
        }

        var utc = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        return utc >= time.GetUtcNow().AddMinutes(-5)
            ? (utc, zone)
            : throw new InvalidRequestException($"start {local:yyyy-MM-dd HH:mm} {zone.Id} is in the past.");
    }

    private static TimeZoneInfo Zone(string? timeZone)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(timeZone) && timeZone.Contains('/', StringComparison.Ordinal) || timeZone == "UTC"
                ? TimeZoneInfo.FindSystemTimeZoneById(timeZone!.Trim())
                : throw new TimeZoneNotFoundException();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidRequestException($"time_zone '{timeZone}' must be an IANA time zone such as Europe/Berlin, America/New_York or UTC — where the recording takes place.");
        }
    }

    private static DateTimeOffset? Instant(string field, string? value) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && value.Trim().Length > 10
            ? instant
            : throw new InvalidRequestException($"{field} '{value}' must be an instant with its offset, e.g. 2026-12-01T00:00:00+01:00 or 2026-12-01T00:00:00Z.");

    private static int Minutes(int minutes) => minutes is >= MinMinutes and <= MaxMinutes
        ? minutes
        : throw new InvalidRequestException($"expected_minutes must be {MinMinutes}–{MaxMinutes}; {minutes} was given.");

    private static string Technologist(string? technologist) => technologist?.Trim() is { Length: >= 1 and <= 64 } t
        ? t
        : throw new InvalidRequestException("technologist must name who runs the recording (a staff name or id, 1–64 characters).");

    private async Task<PatientPseudonym> PatientAsync(Caller caller, string? patientId, CancellationToken cancellationToken) =>
        PatientPseudonym.TryParse(patientId?.Trim(), out var patient) && caller.CanSee(patient) && await patients.GetAsync(patient, cancellationToken).ConfigureAwait(false) is not null
            ? patient
            : throw new InvalidRequestException($"patient_id '{patientId}' must be the pseudonym (psn_…) of a registered patient you may see; find_patients or register_patient give it.");

    private async Task AuditAsync(Caller caller, string action, Appointment appointment) =>
        await audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = action, Resources = [appointment.Id, appointment.Patient.Value, appointment.DeviceId], Outcome = "ok" }, CancellationToken.None).ConfigureAwait(false);
}

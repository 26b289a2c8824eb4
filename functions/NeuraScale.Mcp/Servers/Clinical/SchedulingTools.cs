using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Clinical;
using NeuraScale.Storage.Scheduling;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("A recording appointment.")]
public sealed record AppointmentView(
    string AppointmentId, string PatientId, string ProtocolId, string DeviceId, string Technologist,
    [property: Description("Local start with its offset, in time_zone.")] string StartLocal,
    string TimeZone, DateTimeOffset StartUtc, int ExpectedMinutes, string Status, IReadOnlyList<string> SessionIds, string? CancelReason)
{
    public static AppointmentView From(Appointment a) =>
        new(a.Id, a.Patient.Value, a.ProtocolId, a.DeviceId, a.Technologist, SchedulingService.LocalStart(a), a.TimeZone, a.Start, a.ExpectedMinutes, a.Status, a.Sessions, a.CancelReason);
}

[Description("Appointments, soonest first.")]
public sealed record AppointmentList(IReadOnlyList<AppointmentView> Appointments);

/// <summary>Recording appointments (thin façade over <see cref="SchedulingService"/>).</summary>
[McpServerToolType]
public sealed class SchedulingTools(SchedulingService scheduling, CallerAccessor callers)
{
    private const string StartDescription = "Local start as yyyy-mm-ddThh:mm, in time_zone (e.g. 2026-12-01T09:30).";
    private const string ZoneDescription = "IANA time zone where the recording takes place, e.g. Europe/Berlin, America/New_York, UTC.";

    [McpServerTool(Name = "book_appointment", Title = "Book a recording appointment", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AppointmentView))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Books a recording: patient, protocol, device, technologist, local start and its time zone, expected duration (default: the protocol's recording time + 15 min set-up). A device or patient already booked at an overlapping time is refused, naming that appointment.")]
    public async Task<CallToolResult> BookAppointment(
        [Description("Patient pseudonym, psn_….")] string patient_id,
        [Description("Protocol id from list_protocols, e.g. routine-eeg.")] string protocol_id,
        [Description("Device id from list_devices.")] string device_id,
        [Description("Who runs the recording (staff name or id; no patient data).")] string technologist,
        [Description(StartDescription)] string start,
        [Description(ZoneDescription)] string time_zone,
        [Description("Expected minutes, 5–720.")] int? expected_minutes = null,
        CancellationToken cancellationToken = default)
    {
        var booked = await scheduling.BookAsync(callers.Current, new AppointmentRequest(patient_id, protocol_id, device_id, technologist, start, time_zone, expected_minutes), cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured($"Booked {booked.Id}: {booked.ProtocolId} on {booked.DeviceId}, {SchedulingService.LocalStart(booked)} {booked.TimeZone}, {booked.ExpectedMinutes} min.", AppointmentView.From(booked));
    }

    [McpServerTool(Name = "list_appointments", Title = "List recording appointments", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AppointmentList))]
    [RequiresPermission(Permissions.ClinicalRead)]
    [Description("Appointments you may see, soonest first: optionally between from and to (instants with offsets), for one device or patient, with cancelled ones if asked. Each shows the sessions recorded for it.")]
    public async Task<CallToolResult> ListAppointments(
        [Description("From this instant, e.g. 2026-12-01T00:00:00+01:00.")] string? from = null,
        [Description("Until this instant.")] string? to = null,
        [Description("Only this device.")] string? device_id = null,
        [Description("Only this patient (psn_…).")] string? patient_id = null,
        [Description("Include cancelled appointments (default false).")] bool include_cancelled = false,
        CancellationToken cancellationToken = default)
    {
        var list = new AppointmentList([.. (await scheduling.ListAsync(callers.Current, from, to, device_id, patient_id, include_cancelled, cancellationToken).ConfigureAwait(false)).Select(AppointmentView.From)]);
        return ToolResults.Structured($"{list.Appointments.Count} appointment(s).", list);
    }

    [McpServerTool(Name = "reschedule_appointment", Title = "Reschedule an appointment", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AppointmentView))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Moves a booked appointment: a new local start (in its time zone, or a new one), device, duration or technologist; what is not given stays. Conflicts are refused as when booking.")]
    public async Task<CallToolResult> RescheduleAppointment(
        [Description("Appointment id, apt_….")] string appointment_id,
        [Description(StartDescription)] string? start = null,
        [Description(ZoneDescription + " Default: the appointment's.")] string? time_zone = null,
        [Description("Another device.")] string? device_id = null,
        [Description("Expected minutes, 5–720.")] int? expected_minutes = null,
        [Description("Another technologist.")] string? technologist = null,
        CancellationToken cancellationToken = default)
    {
        var moved = await scheduling.RescheduleAsync(callers.Current, appointment_id, new AppointmentRequest(null, null, device_id, technologist, start, time_zone, expected_minutes), cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured($"Rescheduled {moved.Id}: {SchedulingService.LocalStart(moved)} {moved.TimeZone} on {moved.DeviceId}.", AppointmentView.From(moved));
    }

    [McpServerTool(Name = "cancel_appointment", Title = "Cancel an appointment", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AppointmentView))]
    [RequiresPermission(Permissions.ClinicalWrite)]
    [Description("Cancels a booked appointment, with an optional reason (no identifying text); the slot becomes free. The appointment stays listed as cancelled.")]
    public async Task<CallToolResult> CancelAppointment(
        [Description("Appointment id, apt_….")] string appointment_id,
        [Description("Why, at most 200 characters.")] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var cancelled = await scheduling.CancelAsync(callers.Current, appointment_id, reason, cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured($"Cancelled {cancelled.Id}.", AppointmentView.From(cancelled));
    }
}

using System.Globalization;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Processing.Compliance;

/// <summary>One access to a patient's data, as the audit log recorded it.</summary>
public sealed record AccessEvent(DateTimeOffset Time, string Caller, string Action, string Outcome, IReadOnlyList<string> Resources);

/// <summary>One caller's accesses to the patient's data in the window.</summary>
public sealed record CallerAccess(string Caller, int Accesses, int Refused, int IdentityReads, int Exports, DateTimeOffset First, DateTimeOffset Last);

/// <summary>Who read, exported or was refused what of one patient's data, and when.</summary>
public sealed record AccessReport(string PatientId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> SessionIds, IReadOnlyList<CallerAccess> Callers, IReadOnlyList<AccessEvent> Events, bool Truncated);

/// <summary>The retention policy in force: per kind of data, how long and what enforces it.</summary>
public sealed record RetentionRule(string Data, string Kept, string EnforcedBy, string OnErasure);

public sealed record RetentionPolicy(IReadOnlyList<RetentionRule> Rules, IReadOnlyList<string> ErasureReasons, string Note);

/// <summary>What an erasure did.</summary>
public sealed record ErasureResult(string PatientId, DateTimeOffset ErasedAt, bool IdentityErased, bool AlreadyErased, int FilesDeleted, IReadOnlyList<string> JobsEmptied, IReadOnlyList<string> SessionsKept, bool AuditIntact, string Summary);

/// <summary>
/// The compliance officer's tools over the audit log, the patient registry and the stored files: an access report per
/// patient, the retention policy, and erasure of a patient's identity (with every file that may carry it), keeping the
/// pseudonymous record, the consent history and the audit trail — which is never altered, and is checked after.
/// Every call is itself audited.
/// </summary>
public sealed class ComplianceService(
    AuditReader auditReader,
    IAuditLog audit,
    SessionCatalog catalog,
    PatientRegistry patients,
    JobStore jobs,
    ExportFileStore files,
    IOptions<ComplianceOptions> options,
    TimeProvider time)
{
    /// <summary>Most events listed in one access report (the per-caller summary always covers them all).</summary>
    public const int MaxEvents = 500;

    public static IReadOnlyList<string> ErasureReasons { get; } = ["patient_request", "consent_withdrawn", "registration_error", "retention_expired"];

    private ComplianceOptions Options => options.Value;

    public async Task<AccessReport> AccessReportAsync(Caller caller, string patientId, int? days, CancellationToken cancellationToken)
    {
        var patient = Pseudonym(patientId, caller);
        var window = days ?? 90;
        if (window < 1 || window > Options.MaxAccessReportDays)
        {
            throw new InvalidRequestException($"days must be 1–{Options.MaxAccessReportDays}; got {window}. Default 90.");
        }

        var to = time.GetUtcNow().AddMinutes(1);
        var from = to.AddDays(-window);
        var sessions = await SessionsAsync(patient, cancellationToken).ConfigureAwait(false);
        var jobIds = (await JobsAsync(sessions, cancellationToken).ConfigureAwait(false)).Select(j => j.Id);
        var ids = new HashSet<string>([patient.Value, .. sessions, .. jobIds], StringComparer.Ordinal);

        var events = new List<AccessEvent>();
        await foreach (var entry in auditReader.ReadAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Resources.Any(ids.Contains) && !entry.Action.StartsWith("compliance/", StringComparison.Ordinal))
            {
                events.Add(new AccessEvent(entry.Time, entry.Caller, entry.Action, entry.Outcome, entry.Resources));
            }
        }

        events.Sort((a, b) => a.Time.CompareTo(b.Time));
        var callers = events.GroupBy(e => e.Caller).Select(g => new CallerAccess(
            g.Key,
            g.Count(),
            g.Count(e => e.Outcome is "forbidden" or "rate_limited" or "unauthenticated"),
            g.Count(e => e.Action.StartsWith("phi/read", StringComparison.Ordinal) || e.Action == "tools/call:get_patient"),
            g.Count(e => e.Action.EndsWith("/download_link", StringComparison.Ordinal) || e.Action.StartsWith("bulk/", StringComparison.Ordinal)),
            g.Min(e => e.Time),
            g.Max(e => e.Time))).OrderByDescending(c => c.Accesses).ToArray();
        await AuditAsync(caller, "compliance/access_report", [patient.Value], string.Create(CultureInfo.InvariantCulture, $"{events.Count} events over {window} days")).ConfigureAwait(false);
        return new AccessReport(patient.Value, from, to, sessions, callers, events.Count > MaxEvents ? events[^MaxEvents..] : events, events.Count > MaxEvents);
    }

    public RetentionPolicy Policy() => new(
        [
            new("Identity (name, date of birth, MRN)", $"while the patient is registered; recordings' retention ({Options.RecordingRetentionYears} years) at most", "the patient registry; erasure", "erased: the pseudonym stays, without anything that identifies the patient"),
            new("Recordings and derived (filtered) recordings", $"{Options.RecordingRetentionYears} years after the last recording (medical record)", "the organisation's records schedule", "kept, pseudonymous: nothing left links them to the person"),
            new("Reports and export files", $"{Options.ExportRetentionDays} days after they were written", "storage lifecycle rule 'delete-old-exports'", $"deleted at once (reports may print identity); recoverable {Options.SoftDeleteDays} days by soft delete, then gone"),
            new("Event Hubs Capture files", $"{Options.CaptureRetentionDays} days", "storage lifecycle rule", "expire by the rule (they hold signals under the pseudonym only)"),
            new("Consent history", $"with the recordings ({Options.RecordingRetentionYears} years)", "the consent registry", "kept: it is the evidence that each recording was lawful (pseudonymous)"),
            new("Audit log", $"{Options.AuditRetentionYears} years (HIPAA 45 CFR §164.316(b)(2)(i))", "append-only hash chains; verify_audit_log", "never altered: entries name pseudonyms and ids only, so erasure leaves it intact and verifiable"),
        ],
        ErasureReasons,
        "HIPAA gives patients a right of access and amendment, not of deletion; erasure serves consent withdrawal and GDPR-style requests as far as the medical-record retention allows.");

    public async Task<ErasureResult> EraseAsync(Caller caller, string patientId, string? reason, string? confirm, CancellationToken cancellationToken)
    {
        var patient = Pseudonym(patientId, caller);
        var why = reason?.Trim().ToLowerInvariant();
        if (why is null || !ErasureReasons.Contains(why))
        {
            throw new InvalidRequestException($"reason must be one of {string.Join(", ", ErasureReasons)} (a code, never free text: the reason is kept with the erasure record); got '{reason}'.");
        }

        if (!string.Equals(confirm?.Trim(), patient.Value, StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"Erasure cannot be undone: set confirm to the patient_id ({patient.Value}) to go ahead. See get_retention_policy for what is erased and what is kept.");
        }

        var already = await patients.GetErasureAsync(patient, cancellationToken).ConfigureAwait(false);
        var erasure = await patients.EraseAsync(patient, caller.Id, why, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidRequestException($"patient_id '{patient}' was never registered; nothing to erase.");
        var sessions = await SessionsAsync(patient, cancellationToken).ConfigureAwait(false);
        var emptied = new List<string>();
        var deleted = 0;
        foreach (var job in await JobsAsync(sessions, cancellationToken).ConfigureAwait(false))
        {
            var count = await files.DeleteFolderAsync(job.Id, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                emptied.Add(job.Id);
                deleted += count;
            }
        }

        await AuditAsync(caller, "compliance/erasure", [patient.Value, .. emptied], $"identity erased ({why}); {deleted} file(s) deleted; {sessions.Count} recording(s) kept pseudonymous").ConfigureAwait(false);
        var check = await audit.VerifyAsync(cancellationToken).ConfigureAwait(false);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{(already is null ? "Identity erased" : "Identity was already erased on " + already.ErasedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))} for {patient} ({why}); {deleted} report/export file(s) deleted from {emptied.Count} job(s); {sessions.Count} recording(s) and the consent history kept under the pseudonym; audit log {(check.Intact ? "intact" : "BROKEN: " + check.Detail)}.");
        return new ErasureResult(patient.Value, erasure.ErasedAt, true, already is not null, deleted, emptied, sessions, check.Intact, summary);
    }

    private static PatientPseudonym Pseudonym(string? patientId, Caller caller) =>
        PatientPseudonym.TryParse(patientId?.Trim(), out var patient) && caller.CanSee(patient)
            ? patient
            : throw new InvalidRequestException($"patient_id '{patientId}' is not a patient you may see; pseudonyms look like 'psn_' followed by 16 characters a-z or 2-7 (find_patients finds them).");

    /// <summary>Every session of the patient, derived ones included.</summary>
    private async Task<List<string>> SessionsAsync(PatientPseudonym patient, CancellationToken cancellationToken)
    {
        var sessions = new List<string>();
        string? cursor = null;
        do
        {
            var page = await catalog.QueryAsync(new SessionQuery { Patient = patient, IncludeDerived = true, Limit = SessionQuery.MaxLimit, Cursor = cursor }, cancellationToken).ConfigureAwait(false);
            sessions.AddRange(page.Sessions.Select(s => s.Id.Value));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return sessions;
    }

    /// <summary>Jobs (exports, reports) whose request names one of the sessions.</summary>
    private async Task<IReadOnlyList<JobRecord>> JobsAsync(List<string> sessions, CancellationToken cancellationToken) =>
        sessions.Count == 0 ? [] : await jobs.FindAsync(j => sessions.Any(s => j.Request?.Contains(s, StringComparison.Ordinal) == true), cancellationToken).ConfigureAwait(false);

    private Task<AuditEntry> AuditAsync(Caller caller, string action, IReadOnlyList<string> resources, string outcome) =>
        audit.AppendAsync(new AuditEntry { Caller = caller.Id, Action = action, Resources = resources, Outcome = outcome }, CancellationToken.None);
}

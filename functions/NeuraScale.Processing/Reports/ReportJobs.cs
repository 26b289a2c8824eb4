using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Clinical;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.Clinical.Runs;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Jobs;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Processing.Reports;

/// <summary>A generate_report request as received.</summary>
/// <param name="Conditions">Eye state of whole sessions (session id → eyes_closed / eyes_open), for recordings without protocol markers.</param>
/// <param name="Run">The protocol run that recorded the sessions, already read for the caller, or null.</param>
/// <param name="Queue">Always queue for the job worker, however small (a protocol run's activity must not run it).</param>
public sealed record ReportArguments(
    IReadOnlyList<string>? SessionIds,
    string? ReportType,
    IReadOnlyList<string>? Sections,
    IReadOnlyDictionary<string, string>? Conditions,
    ProtocolRunResult? Run,
    double? LinkExpiryHours,
    int? WaitSeconds,
    Caller Caller,
    bool Queue = false);

/// <summary>
/// Reports as callers ask for them: checks every argument, that the caller may see each session and that they are of
/// one patient, that the patient consented to the report's purpose, decides whether the identity may be printed
/// (phi.read, never on research reports — the decision is audited), and hands the report to the <see cref="JobService"/>.
/// </summary>
public sealed class ReportJobs(NeuralDataService neuralData, ConsentService consent, JobService jobs, IAuditLog audit, IOptions<ExportOptions> options)
{
    /// <summary>Most sessions in one report.</summary>
    public const int MaxSessions = 8;

    public async Task<JobView> GenerateAsync(ReportArguments arguments, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var type = (arguments.ReportType ?? ReportTypes.Clinical).Trim().ToLowerInvariant();
        if (!ReportTypes.All.Contains(type))
        {
            throw new InvalidRequestException($"report_type '{arguments.ReportType}' is not supported; use {string.Join(", ", ReportTypes.All)} (default clinical).");
        }

        var sections = Sections(arguments.Sections);
        var delivery = jobs.Delivery(arguments.LinkExpiryHours, arguments.WaitSeconds);
        var ids = (arguments.SessionIds ?? []).Select(s => s?.Trim() ?? "").ToArray();
        if (ids.Length is 0 or > MaxSessions || ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
        {
            throw new InvalidRequestException($"session_ids must list 1–{MaxSessions} different sessions of one patient (e.g. the session a protocol run recorded, or an eyes-open and an eyes-closed recording); got {ids.Length}{(ids.Length > 0 ? " with repeats or too many" : "")}.");
        }

        var sessions = new List<RecordingSession>();
        foreach (var id in ids)
        {
            sessions.Add(await neuralData.GetSessionAsync(id, arguments.Caller, cancellationToken).ConfigureAwait(false));
        }

        if (sessions.Select(s => s.Patient).Distinct().Count() > 1)
        {
            throw new InvalidRequestException("The sessions belong to different patients; a report covers one patient. Ask for one report per patient.");
        }

        var conditions = Conditions(arguments.Conditions, ids);
        if (arguments.Run is { } run && !ids.Contains(run.SessionId))
        {
            throw new InvalidRequestException($"protocol_run_id {run.RunId} recorded {(run.SessionId is null ? "no session" : "session " + run.SessionId)}; it is not among session_ids. Include that session or leave protocol_run_id out.");
        }

        var patient = sessions[0].Patient;
        await RequireConsentAsync(type, patient, cancellationToken).ConfigureAwait(false);
        var identity = type != ReportTypes.Research && arguments.Caller.Has(Permissions.PhiRead);
        // The run as it ended, without the report it asked for: the run's own request and a later identical one are one job.
        var request = new ReportRequest(ids, type, sections, conditions, identity, RunCaller.From(arguments.Caller), arguments.Run is { } ended ? ended with { ReportJobId = null, ReportProblem = null } : null);
        if (identity)
        {
            await audit.AppendAsync(new AuditEntry { Caller = arguments.Caller.Id, Action = "phi/read:report", Resources = [patient.Value, .. ids], Outcome = "identity printed on the report" }, CancellationToken.None).ConfigureAwait(false);
        }

        var values = sessions.Sum(s => (double)s.SampleCount * s.Channels.Count);
        var submission = new JobSubmission(
            ReportJobHandler.JobKind,
            JsonSerializer.Serialize(request),
            request.Canonical,
            [ids[0], type, .. ids.Skip(1)],
            !arguments.Queue && values * sizeof(float) <= options.Value.InlineMaxBytes,
            null);
        return await jobs.SubmitAsync(submission, arguments.Caller, delivery, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sections asked for, in canonical order; all four by default.</summary>
    private static string[] Sections(IReadOnlyList<string>? asked)
    {
        if (asked is null || asked.Count == 0)
        {
            return [.. ReportSections.All];
        }

        var wanted = asked.Select(s => s?.Trim().ToLowerInvariant() ?? "").ToArray();
        var unknown = wanted.Where(s => !ReportSections.All.Contains(s)).ToArray();
        return unknown.Length > 0
            ? throw new InvalidRequestException($"sections: '{string.Join("', '", unknown)}' {(unknown.Length == 1 ? "is" : "are")} not a section; use any of {string.Join(", ", ReportSections.All)} (default all four).")
            : [.. ReportSections.All.Where(wanted.Contains)];
    }

    private static Dictionary<string, string> Conditions(IReadOnlyDictionary<string, string>? given, string[] ids)
    {
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (session, value) in given ?? new Dictionary<string, string>())
        {
            var state = value?.Trim().ToLowerInvariant();
            if (!ids.Contains(session.Trim()))
            {
                throw new InvalidRequestException($"conditions names session '{session}', which is not among session_ids.");
            }

            if (state is not (StepConditions.EyesClosed or StepConditions.EyesOpen))
            {
                throw new InvalidRequestException($"conditions['{session}'] is '{value}'; use {StepConditions.EyesClosed} or {StepConditions.EyesOpen} (the eye state of the whole session).");
            }

            conditions[session.Trim()] = state;
        }

        return conditions;
    }

    /// <summary>Clinical reports need clinical_care consent, research reports research consent, quality reports either.</summary>
    private async Task RequireConsentAsync(string type, PatientPseudonym patient, CancellationToken cancellationToken)
    {
        if (type != ReportTypes.Quality)
        {
            await consent.RequireAsync(patient, type == ReportTypes.Clinical ? ConsentPurposes.ClinicalCare : ConsentPurposes.Research, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await consent.RequireAsync(patient, ConsentPurposes.ClinicalCare, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException)
        {
            await consent.RequireAsync(patient, ConsentPurposes.Research, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Text.Json.Serialization;
using NeuraScale.Processing.Clinical.Runs;

namespace NeuraScale.Processing.Reports;

/// <summary>The kinds of report, each for its reader.</summary>
public static class ReportTypes
{
    /// <summary>For the neurologist: identity (with phi.read), recording, QC, results, findings, signature block. Needs clinical_care consent.</summary>
    public const string Clinical = "clinical";

    /// <summary>For a study: pseudonym only (never identity), full numeric tables. Needs research consent.</summary>
    public const string Research = "research";

    /// <summary>For the technologist and the lab: electrode and signal quality, artifacts, line noise. Needs either consent.</summary>
    public const string Quality = "quality";

    public static IReadOnlyList<string> All { get; } = [Clinical, Research, Quality];
}

/// <summary>The sections a report may hold, in the order the brief lists them.</summary>
public static class ReportSections
{
    public const string Summary = "summary";
    public const string Methods = "methods";
    public const string Results = "results";
    public const string Conclusions = "conclusions";

    public static IReadOnlyList<string> All { get; } = [Summary, Methods, Results, Conclusions];
}

/// <summary>A report job's request, fully resolved when it was asked for: any instance can write the report from it.</summary>
/// <param name="SessionIds">The sessions, all of one patient, in the order asked.</param>
/// <param name="Type">One of <see cref="ReportTypes"/>.</param>
/// <param name="Sections">Those of <see cref="ReportSections"/> asked for, in canonical order.</param>
/// <param name="Conditions">Eye state of whole sessions as the caller stated it (session id → eyes_closed / eyes_open).</param>
/// <param name="IncludeIdentity">The caller may read identity (phi.read) and the type shows it.</param>
/// <param name="Caller">Who asked, with their rights then: the report reads the sessions on their behalf.</param>
/// <param name="Run">The protocol run the sessions were recorded by, when known: impedances and step outcomes.</param>
public sealed record ReportRequest(
    [property: JsonPropertyName("session_ids")] IReadOnlyList<string> SessionIds,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("sections")] IReadOnlyList<string> Sections,
    [property: JsonPropertyName("conditions")] IReadOnlyDictionary<string, string> Conditions,
    [property: JsonPropertyName("include_identity")] bool IncludeIdentity,
    [property: JsonPropertyName("caller")] RunCaller Caller,
    [property: JsonPropertyName("run")] ProtocolRunResult? Run)
{
    /// <summary>Identical requests (same caller, sessions, type, sections, conditions, run) share a job.</summary>
    [JsonIgnore]
    public string Canonical => string.Join(
        "\n",
        "report",
        Type,
        string.Join(",", SessionIds),
        string.Join(",", Sections),
        string.Join(",", Conditions.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + c.Value)),
        IncludeIdentity ? "identity" : "pseudonym",
        Run?.RunId ?? "");
}

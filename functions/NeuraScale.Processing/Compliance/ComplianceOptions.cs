using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.Compliance;

/// <summary>
/// The retention policy (section <c>Compliance</c>): how long each kind of data is kept, and what an erasure removes.
/// The exports and Capture periods are enforced by the storage account's lifecycle rules (infra/modules/storage.bicep,
/// checked equal in InfraTests); the others are the organisation's to enforce and are stated here so every answer
/// about retention comes from one place.
/// </summary>
public sealed class ComplianceOptions
{
    public const string SectionName = "Compliance";

    /// <summary>Recordings and reports are part of the medical record: US state laws commonly require 7–10 years after the last encounter (longer for minors).</summary>
    [Range(1, 100)]
    public int RecordingRetentionYears { get; set; } = 7;

    /// <summary>HIPAA keeps required documentation, the audit trail included, 6 years (45 CFR §164.316(b)(2)(i)).</summary>
    [Range(6, 100)]
    public int AuditRetentionYears { get; set; } = 6;

    /// <summary>Export files and reports in the exports container: one day past the longest download link (7 days).</summary>
    [Range(1, 365)]
    public int ExportRetentionDays { get; set; } = 8;

    /// <summary>Event Hubs Capture files, once ingested.</summary>
    [Range(1, 365)]
    public int CaptureRetentionDays { get; set; } = 7;

    /// <summary>Deleted blobs stay recoverable this long (soft delete) before they are gone.</summary>
    [Range(1, 365)]
    public int SoftDeleteDays { get; set; } = 7;

    /// <summary>Longest window an access report covers, days.</summary>
    [Range(1, 3650)]
    public int MaxAccessReportDays { get; set; } = 366;
}

using System.ComponentModel;
using System.Text.Json;

namespace NeuraScale.Mcp.Servers.NeuralData;

[Description("An export job: its state and, once it succeeded, the download link and what the file holds.")]
public sealed record ExportJobResult(
    [property: Description("Job id (job_…): pass it to get_job_status or cancel_job.")] string JobId,
    [property: Description("queued, running, retrying, succeeded, failed, cancelled, or expired (succeeded, but the files were deleted after the retention period: ask again).")] string Status,
    [property: Description("Fraction done, 0–1.")] double Progress,
    [property: Description("What is happening or went wrong, in words.")] string? Message,
    [property: Description("edf, bdf, mat, csv, parquet or fif.")] string Format,
    [property: Description("The exported session.")] string SessionId,
    [property: Description("Read-only HTTPS link to the file (a SAS URL scoped to this one file); null until the job succeeded. Anyone holding it can download until expires_at: share it only with whoever should have the data.")] string? DownloadUrl,
    [property: Description("When download_url stops working (ISO 8601, UTC).")] DateTimeOffset? ExpiresAt,
    [property: Description("File name the download is saved as.")] string? FileName,
    [property: Description("File size, bytes.")] long? FileSize,
    [property: Description("SHA-256 of the file (hex), to check the download.")] string? Sha256,
    [property: Description("Further files of the export (CSV: the events file), each with its own link.")] IReadOnlyList<ExportFileLink> AdditionalFiles,
    [property: Description("Channel names in the file, in order.")] IReadOnlyList<string>? Channels,
    [property: Description("Sampling rate in the file, Hz (after downsampling).")] double? SamplingRateHz,
    [property: Description("First exported sample, seconds from the start of the recording.")] double? StartTimeS,
    [property: Description("End of the export, seconds from the start of the recording.")] double? EndTimeS,
    [property: Description("Samples per channel in the file.")] long? NSamples,
    [property: Description("Event markers in the file (annotations, events struct, events file or metadata).")] int? EventCount,
    [property: Description("How to open the file.")] string OpenWith,
    [property: Description("True when an identical earlier request (or the same idempotency_key) already had this job; nothing new was started.")] bool Existing);

[Description("One more file of an export, with its own download link.")]
public sealed record ExportFileLink(
    [property: Description("What the file holds, e.g. events.")] string Role,
    [property: Description("File name.")] string FileName,
    [property: Description("Read-only link, valid until the export's expires_at.")] string DownloadUrl,
    [property: Description("Size, bytes.")] long FileSize,
    [property: Description("SHA-256 (hex).")] string Sha256);

[Description("A job you started (an export, and later reports and device commands): its state and, once it succeeded, download links for its files and what they hold.")]
public sealed record JobStatusResult(
    [property: Description("Job id (job_…).")] string JobId,
    [property: Description("What the job does: export, …")] string Kind,
    [property: Description("queued, running, retrying, succeeded, failed, cancelled, or expired (succeeded, but the files were deleted after the retention period: repeat the request).")] string Status,
    [property: Description("Fraction done, 0–1.")] double Progress,
    [property: Description("What is happening or went wrong, in words.")] string? Message,
    [property: Description("Read-only HTTPS link to the job's main file (a SAS URL scoped to this one file); null until the job succeeded. Anyone holding it can download until expires_at.")] string? DownloadUrl,
    [property: Description("When the links stop working (ISO 8601, UTC).")] DateTimeOffset? ExpiresAt,
    [property: Description("File name the download is saved as.")] string? FileName,
    [property: Description("File size, bytes.")] long? FileSize,
    [property: Description("SHA-256 of the file (hex), to check the download.")] string? Sha256,
    [property: Description("Further files of the job (e.g. the CSV export's events file), each with its own link.")] IReadOnlyList<ExportFileLink> AdditionalFiles,
    [property: Description("What the job is about and what its result holds, by kind (export: format, session_id, channels, sampling_rate_hz, start_time_s, end_time_s, n_samples, event_count, open_with).")] JsonElement? Details,
    [property: Description("Always true here: the job existed before this call.")] bool Existing);

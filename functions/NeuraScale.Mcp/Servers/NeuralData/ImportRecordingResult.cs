using System.ComponentModel;
using NeuraScale.Processing.Importing;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>import_recording's answer: an upload link to use, or the import's job and, once done, the session it made.</summary>
public sealed record ImportRecordingResult(
    [property: Description("awaiting_upload (PUT the file to upload_url, then call again with upload_id), or the import job's state: queued, running, retrying, succeeded, failed, cancelled.")] string Status,
    [property: Description("Upload id (upl_…): pass it back to import_recording once the file is uploaded.")] string UploadId,
    [property: Description("Write-only HTTPS link (a SAS URL scoped to one blob) to PUT the file to, with header x-ms-blob-type: BlockBlob; null once the import started.")] string? UploadUrl,
    [property: Description("When the upload link stops working (ISO 8601, UTC).")] DateTimeOffset? UploadExpiresAt,
    [property: Description("Largest file accepted, bytes.")] long? MaxBytes,
    [property: Description("A command that uploads a local file to the link (curl).")] string? UploadCommand,
    [property: Description("Import job id (job_…), for get_job_status while it runs.")] string? JobId,
    [property: Description("Fraction done, 0–1.")] double? Progress,
    [property: Description("What is happening or went wrong, in words.")] string? Message,
    [property: Description("The imported session's id: usable wherever a session_id is taken.")] string? SessionId,
    [property: Description("EDF, EDF+, BDF or BDF+.")] string? Format,
    [property: Description("When the recording started, by the file's own clock (EDF carries no time zone; shown as UTC).")] DateTimeOffset? StartTime,
    [property: Description("Recorded duration, seconds.")] double? DurationS,
    [property: Description("Sampling rate, Hz.")] double? SamplingRateHz,
    [property: Description("EEG, EMG or ECG.")] string? Modality,
    [property: Description("Channels: 10-20 name, MNE type (eeg, eog, emg, ecg, stim, misc) and unit (voltages converted to uV).")] IReadOnlyList<ImportedChannel>? Channels,
    [property: Description("Annotations imported as events (query them with get_neural_data's events).")] int? EventCount,
    [property: Description("What was changed or left out on the way in: unit conversions, signals at another rate, annotations outside the recording.")] IReadOnlyList<string>? Notes,
    [property: Description("True when this upload had been imported before: the earlier session is returned, nothing stored twice.")] bool? AlreadyImported);

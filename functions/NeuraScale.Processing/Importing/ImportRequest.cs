using System.Text.Json.Serialization;

namespace NeuraScale.Processing.Importing;

/// <summary>What an import job holds: which upload, whose recording, and the session id it becomes.</summary>
/// <param name="UploadBlob">The upload's blob in the uploads container (the caller's folder and the upload id).</param>
/// <param name="SessionId">Derived from the upload, so repeating the import finds the same session.</param>
public sealed record ImportRequest(
    [property: JsonPropertyName("upload_blob")] string UploadBlob,
    [property: JsonPropertyName("upload_id")] string UploadId,
    [property: JsonPropertyName("patient")] string Patient,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("session_id")] string SessionId);

/// <summary>What an import stored (the job's result, and the details get_job_status shows for imports).</summary>
public sealed record ImportDetails(
    [property: JsonPropertyName("upload_id")] string UploadId,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("start_time")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("duration_s")] double? DurationS,
    [property: JsonPropertyName("sampling_rate_hz")] double? SamplingRateHz,
    [property: JsonPropertyName("modality")] string? Modality,
    [property: JsonPropertyName("channels")] IReadOnlyList<ImportedChannel>? Channels,
    [property: JsonPropertyName("event_count")] int? EventCount,
    [property: JsonPropertyName("notes")] IReadOnlyList<string>? Notes,
    [property: JsonPropertyName("already_imported")] bool? AlreadyImported);

/// <summary>One imported channel: name, MNE type and unit.</summary>
public sealed record ImportedChannel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("unit")] string Unit);

using System.Text.Json.Serialization;

namespace NeuraScale.Processing.Jobs;

/// <summary>One file a job wrote to the exports container; the JSON form is part of stored job results.</summary>
/// <param name="Role">What the file holds: "signals", "events" (CSV markers), "report", …</param>
public sealed record JobFile(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("blob_name")] string BlobName,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("size_bytes")] long SizeBytes,
    [property: JsonPropertyName("sha256")] string Sha256);

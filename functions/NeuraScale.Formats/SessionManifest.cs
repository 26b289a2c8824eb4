using System.Text.Json;
using System.Text.Json.Serialization;
using NeuraScale.Domain;

namespace NeuraScale.Formats;

/// <summary>
/// The manifest stored beside a session's chunks (<c>sessions/{id}/manifest.json</c>): everything a reader needs
/// to interpret the chunks without the catalog. Written once, when the session opens.
/// </summary>
public sealed record SessionManifest
{
    public int LayoutVersion { get; init; } = ChunkCodec.LayoutVersion;
    public required string SessionId { get; init; }
    public required Modality Modality { get; init; }
    public required string DeviceId { get; init; }
    public required double SamplingRateHz { get; init; }
    /// <summary>Samples per channel in every chunk but the last.</summary>
    public required int ChunkSamples { get; init; }
    public required IReadOnlyList<ChannelInfo> Channels { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    /// <summary>For a derived recording, its source and processing steps; absent for a recording.</summary>
    public RecordingLineage? Lineage { get; init; }

    public static SessionManifest For(RecordingSession session) => new()
    {
        SessionId = session.Id.Value,
        Modality = session.Modality,
        DeviceId = session.DeviceId,
        SamplingRateHz = session.SamplingRateHz,
        ChunkSamples = session.ChunkSamples,
        Channels = session.Channels,
        StartTime = session.StartTime,
        Lineage = session.Lineage,
    };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static SessionManifest FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<SessionManifest>(json, JsonOptions) ?? throw new FormatException("Manifest is empty.");
}

using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Streaming;

/// <summary>A session's close as the relay announced it, kept until every sample it counts is stored.</summary>
public sealed record CloseNotice(SessionStatus Status, long? SampleCount);

/// <summary>
/// What the streaming ingest keeps beside the chunks, in the signals container: each session's close notice
/// (<c>sessions/{id}/close.json</c>), the quarantine of events that could not be ingested
/// (<c>quarantine/{capture file}/{event}.json</c>, with the reason and the raw event), and reading the Capture files.
/// </summary>
public sealed class StreamStore(StorageClients clients)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private readonly BlobContainerClient _signals = clients.SignalsContainer;
    private readonly BlobContainerClient _capture = clients.CaptureContainer;

    public async Task WriteCloseNoticeAsync(SessionId id, CloseNotice notice, CancellationToken cancellationToken)
    {
        var blob = _signals.GetBlobClient($"sessions/{id.Value}/close.json");
        await blob.UploadAsync(BinaryData.FromObjectAsJson(notice, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloseNotice?> ReadCloseNoticeAsync(SessionId id, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _signals.GetBlobClient($"sessions/{id.Value}/close.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<CloseNotice>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Keeps an event the ingest refused, with why, where it came from, and its bytes (base64) for a person to look at.</summary>
    public async Task QuarantineAsync(string source, string eventKey, string reason, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, object?> properties, CancellationToken cancellationToken)
    {
        var record = new
        {
            source,
            @event = eventKey,
            reason,
            quarantinedAt = DateTimeOffset.UtcNow,
            properties = properties.ToDictionary(p => p.Key, p => p.Value is byte[] b ? Convert.ToBase64String(b) : p.Value?.ToString()),
            bodyBase64 = Convert.ToBase64String(body.Span),
        };
        var name = $"quarantine/{Sanitize(source)}/{Sanitize(eventKey)}.json";
        await _signals.GetBlobClient(name).UploadAsync(BinaryData.FromObjectAsJson(record, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The quarantined records under one source (tests, operators).</summary>
    public async Task<IReadOnlyList<string>> ListQuarantineAsync(string source, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in _signals.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"quarantine/{Sanitize(source)}/", cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>Opens a Capture file for reading.</summary>
    public async Task<Stream> OpenCaptureAsync(string blobName, CancellationToken cancellationToken) =>
        await _capture.GetBlobClient(blobName).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Puts a Capture-format file where Event Hubs Capture would (local tests and replays).</summary>
    public async Task UploadCaptureAsync(string blobName, Stream content, CancellationToken cancellationToken)
    {
        await _capture.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _capture.GetBlobClient(blobName).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' ? c : '_')).Trim('/');
}

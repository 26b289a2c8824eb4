using System.Globalization;
using System.Text.Json;
using Azure.Messaging.EventHubs;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Streaming;

/// <summary>What one event on the hub says: a session opened, a chunk of it, or the session closed.</summary>
public abstract record StreamEvent(SessionId SessionId);

public sealed record SessionOpened(RecordingSession Session) : StreamEvent(Session.Id);

public sealed record ChunkArrived(SignalChunk Chunk) : StreamEvent(Chunk.SessionId);

/// <summary>A chunk too large for one event, stored by the relay and sent as a reference (<see cref="ChunkClaimCheck"/>).</summary>
/// <param name="Length">Bytes of the encoded chunk.</param>
/// <param name="Sha256">SHA-256 of the encoded chunk, lower-case hex.</param>
public sealed record ChunkReferenced(SessionId Id, long Sequence, long Length, string Sha256) : StreamEvent(Id);

/// <param name="SampleCount">Samples per channel the session holds, when the relay knew it: the session completes once that many are stored.</param>
public sealed record SessionClosed(SessionId Id, SessionStatus Status, long? SampleCount = null) : StreamEvent(Id);

/// <summary>
/// The events the relay sends to Event Hubs (docs/event-hubs.md): one per chunk, its body the chunk in the one layout
/// of docs/chunk-layout.md (CRC included), and one when a session opens and closes. Application properties say which
/// (<c>ns-kind</c>) and for which session; the session id is also the partition key, so a session's events stay in
/// order on one partition. Parsing is strict: an event that is not exactly one of these is refused with the reason,
/// for the ingest to quarantine.
/// </summary>
public static class ChunkEvents
{
    public const string KindProperty = "ns-kind", SessionProperty = "ns-session", SequenceProperty = "ns-sequence", LayoutProperty = "ns-layout";

    /// <summary>W3C trace context of the relay's span that sent the event: the ingest links its span to it, so a trace follows a chunk from relay to catalog.</summary>
    public const string TraceParentProperty = "traceparent";
    public const string OpenKind = "session-open", ChunkKind = "chunk", ChunkReferenceKind = "chunk-ref", CloseKind = "session-close";
    public const string ChunkContentType = "application/vnd.neurascale.chunk", JsonContentType = "application/json";

    public static EventData ForOpen(RecordingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var body = JsonSerializer.SerializeToUtf8Bytes(OpenBody.From(session), SessionManifest.JsonOptions);
        return Event(body, JsonContentType, OpenKind, session.Id, $"{session.Id}/open");
    }

    /// <param name="encoded">The chunk already encoded (<see cref="ChunkCodec.Encode"/>), to spare encoding it again.</param>
    public static EventData ForChunk(SignalChunk chunk, byte[]? encoded = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var data = Event(encoded ?? ChunkCodec.Encode(chunk), ChunkContentType, ChunkKind, chunk.SessionId, ChunkNaming.Chunk(chunk.SessionId, chunk.Sequence));
        data.Properties[SequenceProperty] = chunk.Sequence;
        return data;
    }

    /// <summary>The event sent in place of a chunk too large for one: where it is stored and what it must be.</summary>
    public static EventData ForChunkReference(ChunkReferenced reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ReferenceBody(reference.Sequence, ChunkNaming.Chunk(reference.Id, reference.Sequence), reference.Length, reference.Sha256), SessionManifest.JsonOptions);
        var data = Event(body, JsonContentType, ChunkReferenceKind, reference.Id, ChunkNaming.Chunk(reference.Id, reference.Sequence));
        data.Properties[SequenceProperty] = reference.Sequence;
        return data;
    }

    public static EventData ForClose(SessionId sessionId, SessionStatus status, long? sampleCount = null) =>
        Event(JsonSerializer.SerializeToUtf8Bytes(new CloseBody(status.ToString(), sampleCount), SessionManifest.JsonOptions), JsonContentType, CloseKind, sessionId, $"{sessionId}/close");

    /// <summary>The sending span's context carried by an event, if any.</summary>
    public static System.Diagnostics.ActivityContext? TraceContext(IReadOnlyDictionary<string, object?> properties) =>
        Text(properties ?? throw new ArgumentNullException(nameof(properties)), TraceParentProperty) is { } parent
        && System.Diagnostics.ActivityContext.TryParse(parent, null, out var context) ? context : null;

    /// <summary>Reads an event back (from the hub, or from a Capture file's Body and Properties).</summary>
    /// <exception cref="FormatException">The event is not one of ours, or its body is damaged; the message says how.</exception>
    public static StreamEvent Parse(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var kind = Text(properties, KindProperty) ?? throw new FormatException($"The event has no '{KindProperty}' property: it was not sent by a NeuraScale relay.");
        var session = Text(properties, SessionProperty);
        if (!SessionId.TryParse(session, out var sessionId))
        {
            throw new FormatException($"The event's '{SessionProperty}' is '{session}', not a session id.");
        }

        switch (kind)
        {
            case ChunkKind:
                SignalChunk chunk;
                try
                {
                    chunk = ChunkCodec.Decode(body);
                }
                catch (CorruptChunkException ex)
                {
                    throw new FormatException($"The chunk in the event is damaged: {ex.Message}");
                }

                return chunk.SessionId == sessionId
                    ? new ChunkArrived(chunk)
                    : throw new FormatException($"The event is labelled for {sessionId} but its chunk belongs to {chunk.SessionId}.");
            case ChunkReferenceKind:
                var reference = Json<ReferenceBody>(body, kind);
                if (reference.Sequence < 0 || reference.Length <= 0 || reference.Sha256 is not { Length: 64 } || !reference.Sha256.All(char.IsAsciiHexDigit))
                {
                    throw new FormatException("The chunk reference needs a sequence ≥ 0, a positive length and a 64-digit hex SHA-256.");
                }

                return reference.Blob == ChunkNaming.Chunk(sessionId, reference.Sequence)
                    ? new ChunkReferenced(sessionId, reference.Sequence, reference.Length, reference.Sha256)
                    : throw new FormatException($"The chunk reference names '{reference.Blob}', not the place of chunk {reference.Sequence} of {sessionId}.");
            case OpenKind:
                var open = Json<OpenBody>(body, kind);
                var opened = open.ToSession();
                return opened.Id == sessionId ? new SessionOpened(opened) : throw new FormatException($"The event is labelled for {sessionId} but opens {opened.Id}.");
            case CloseKind:
                var close = Json<CloseBody>(body, kind);
                if (close.SampleCount is < 0)
                {
                    throw new FormatException($"The close event's sample count {close.SampleCount} is negative.");
                }

                return Enum.TryParse<SessionStatus>(close.Status, ignoreCase: false, out var status) && status is SessionStatus.Completed or SessionStatus.Interrupted
                    ? new SessionClosed(sessionId, status, close.SampleCount)
                    : throw new FormatException($"The close event's status '{close.Status}' is not Completed or Interrupted.");
            default:
                throw new FormatException($"Unknown event kind '{kind}'; expected {OpenKind}, {ChunkKind}, {ChunkReferenceKind} or {CloseKind}.");
        }
    }

    private static EventData Event(byte[] body, string contentType, string kind, SessionId sessionId, string messageId)
    {
        var data = new EventData(body) { ContentType = contentType, MessageId = messageId };
        data.Properties[KindProperty] = kind;
        data.Properties[SessionProperty] = sessionId.Value;
        data.Properties[LayoutProperty] = (int)ChunkCodec.LayoutVersion;
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity)
        {
            data.Properties[TraceParentProperty] = activity.Id;
        }

        return data;
    }

    private static string? Text(IReadOnlyDictionary<string, object?> properties, string name) =>
        properties.TryGetValue(name, out var value) ? value switch
        {
            string s => s,
            null => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        } : null;

    private static T Json<T>(ReadOnlySpan<byte> body, string kind)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, SessionManifest.JsonOptions) ?? throw new FormatException($"The {kind} event's body is empty.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The {kind} event's body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>A session as it opens: the manifest's fields plus the catalog's (patient pseudonym, model, description).</summary>
    private sealed record OpenBody(
        string Id, string Patient, string DeviceId, string DeviceModel, Modality Modality, IReadOnlyList<ChannelInfo> Channels,
        double SamplingRateHz, DateTimeOffset StartTime, string? Description)
    {
        public static OpenBody From(RecordingSession s) => new(s.Id.Value, s.Patient.Value, s.DeviceId, s.DeviceModel, s.Modality, s.Channels, s.SamplingRateHz, s.StartTime, s.Description);

        public RecordingSession ToSession()
        {
            if (!SessionId.TryParse(Id, out var id) || !PatientPseudonym.TryParse(Patient, out var patient))
            {
                throw new FormatException("The open event's session id or patient pseudonym is malformed.");
            }

            if (Channels is not { Count: > 0 } || !(SamplingRateHz > 0) || SamplingRateHz != Math.Floor(SamplingRateHz))
            {
                throw new FormatException("The open event needs at least one channel and a whole-number sampling rate.");
            }

            return new RecordingSession
            {
                Id = id, Patient = patient, DeviceId = DeviceId, DeviceModel = DeviceModel, Modality = Modality, Channels = Channels,
                SamplingRateHz = SamplingRateHz, StartTime = StartTime, Description = Description,
            };
        }
    }

    private sealed record CloseBody(string Status, long? SampleCount);

    /// <summary>A claim-checked chunk: its sequence, its blob in the signals container (for people reading the event), and what it must be.</summary>
    private sealed record ReferenceBody(long Sequence, string Blob, long Length, string Sha256);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuraScale.Domain;

/// <summary>Serialises <see cref="SessionId"/> as its string form, validating on the way in.</summary>
public sealed class SessionIdJsonConverter : JsonConverter<SessionId>
{
    public override SessionId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SessionId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Expected a session id ('ses_' + 20 characters a-z, 2-7).");

    public override void Write(Utf8JsonWriter writer, SessionId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>Serialises <see cref="PatientPseudonym"/> as its string form, validating on the way in.</summary>
public sealed class PatientPseudonymJsonConverter : JsonConverter<PatientPseudonym>
{
    public override PatientPseudonym Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PatientPseudonym.TryParse(reader.GetString(), out var p) ? p : throw new JsonException("Expected a patient pseudonym ('psn_' + 16 characters a-z, 2-7).");

    public override void Write(Utf8JsonWriter writer, PatientPseudonym value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

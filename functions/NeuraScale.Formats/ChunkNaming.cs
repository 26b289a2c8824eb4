using NeuraScale.Domain;

namespace NeuraScale.Formats;

/// <summary>Blob names of the shared layout, relative to the signals container.</summary>
public static class ChunkNaming
{
    public static string SessionPrefix(SessionId id) => $"sessions/{id.Value}/";

    public static string Manifest(SessionId id) => $"sessions/{id.Value}/manifest.json";

    /// <summary>Zero-padded so that a lexical listing is in sequence order.</summary>
    public static string Chunk(SessionId id, long sequence) => $"sessions/{id.Value}/chunks/{sequence:D10}.nsck";
}

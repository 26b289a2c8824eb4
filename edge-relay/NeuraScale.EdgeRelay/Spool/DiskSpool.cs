using System.Text.Json;
using System.Text.Json.Serialization;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.EdgeRelay.Spool;

/// <summary>The relay's durable state: the session it is recording and how far it has got.</summary>
public sealed record SpoolState
{
    public required RecordingSession Session { get; init; }

    /// <summary>Sequence number of the next chunk to cut.</summary>
    public long NextSequence { get; init; }

    /// <summary>Stop after this many samples per channel; <see cref="long.MaxValue"/> records until stopped.</summary>
    public long UntilSample { get; init; } = long.MaxValue;

    /// <summary>True once the final chunk is spooled: nothing more will be read from the driver.</summary>
    public bool InputComplete { get; init; }

    /// <summary>Samples per channel in the whole session, once its final chunk is cut (the close event carries it).</summary>
    public long? FinalSampleCount { get; init; }

    public long NextSample => NextSequence * Session.ChunkSamples;
}

/// <summary>
/// A directory holding one session's state and the chunks not yet confirmed by the sink. Every file is written to
/// a temporary name, flushed to disk and renamed, so a crash leaves either the old or the new file, never half of one.
/// </summary>
public sealed class DiskSpool
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _root;
    private readonly string _chunks;

    public DiskSpool(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.GetFullPath(directory);
        _chunks = Path.Combine(_root, "chunks");
        Directory.CreateDirectory(_chunks);
    }

    private string StatePath => Path.Combine(_root, "state.json");

    /// <summary>
    /// Loads the state left by a previous run, reconciled with the spooled chunks (a crash between spooling a chunk and
    /// saving the state must not lose or repeat it). Null when no session is in progress.
    /// </summary>
    public SpoolState? Load()
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<SpoolState>(File.ReadAllBytes(StatePath), Json)
            ?? throw new InvalidDataException($"Spool state {StatePath} is empty.");
        var pending = PendingSequences();
        if (pending.Count > 0 && pending[^1] >= state.NextSequence)
        {
            var last = ReadChunk(pending[^1]);
            var final = last.SampleCount < state.Session.ChunkSamples || last.FirstSample + last.SampleCount >= state.UntilSample;
            state = state with { NextSequence = pending[^1] + 1, InputComplete = state.InputComplete || final };
        }

        return state;
    }

    public void Save(SpoolState state) => WriteAtomically(StatePath, JsonSerializer.SerializeToUtf8Bytes(state, Json));

    /// <summary>Spools a chunk durably. Returns only after the bytes are on disk.</summary>
    public void Write(SignalChunk chunk) => WriteAtomically(ChunkPath(chunk.Sequence), ChunkCodec.Encode(chunk));

    /// <summary>Sequence numbers of spooled, unconfirmed chunks, ascending.</summary>
    public IReadOnlyList<long> PendingSequences() =>
        Directory.EnumerateFiles(_chunks, "*.nsck")
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();

    /// <summary>Reads a spooled chunk, verifying its checksum (a torn or damaged spool file is reported).</summary>
    /// <summary>When the oldest chunk still waiting for the sink was spooled; null when none waits.</summary>
    public DateTimeOffset? OldestPendingSince()
    {
        var oldest = Directory.EnumerateFiles(_chunks, "*.nsck").Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MaxValue).Min();
        return oldest == DateTime.MaxValue ? null : new DateTimeOffset(oldest, TimeSpan.Zero);
    }

    public SignalChunk ReadChunk(long sequence) => ChunkCodec.Decode(File.ReadAllBytes(ChunkPath(sequence)));

    /// <summary>Forgets a chunk once the sink has confirmed it.</summary>
    public void Delete(long sequence) => File.Delete(ChunkPath(sequence));

    /// <summary>Removes the session's state after it has been closed at the sink.</summary>
    public void Clear()
    {
        foreach (var file in Directory.EnumerateFiles(_chunks))
        {
            File.Delete(file);
        }

        File.Delete(StatePath);
    }

    private string ChunkPath(long sequence) => Path.Combine(_chunks, $"{sequence:D10}.nsck");

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}

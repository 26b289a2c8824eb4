using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using NeuraScale.Domain;

namespace NeuraScale.Formats;

/// <summary>
/// Encodes and decodes the chunk layout described in <c>docs/chunk-layout.md</c>: the one binary form in which
/// signal data is spooled, sent and stored. Little-endian throughout; a CRC-32 trailer covers every byte before it.
/// </summary>
public static class ChunkCodec
{
    /// <summary>"NSCK" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "NSCK"u8;

    /// <summary>The layout version this code writes and reads.</summary>
    public const ushort LayoutVersion = 1;

    /// <summary>Sample encoding 1: IEEE-754 float32, physical units.</summary>
    public const byte EncodingFloat32 = 1;

    private const int FixedHeaderBytes = 4 + 2 + 2 + 8 + 8 + 8 + 2 + 4 + 1 + 1;
    private const int TrailerBytes = 4;

    /// <summary>Serialises <paramref name="chunk"/>; the result is what a writer stores byte for byte.</summary>
    public static byte[] Encode(SignalChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var id = Encoding.ASCII.GetBytes(chunk.SessionId.Value);
        var labels = chunk.Events.Select(e => Encoding.UTF8.GetBytes(e.Label)).ToArray();
        if (chunk.Events.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"A chunk holds at most {ushort.MaxValue} event markers; got {chunk.Events.Count}.", nameof(chunk));
        }

        var eventBytes = 2 + labels.Sum(l => 8 + 4 + 1 + l.Length);
        var payloadBytes = chunk.Samples.Length * sizeof(float);
        var buffer = new byte[FixedHeaderBytes + id.Length + eventBytes + payloadBytes + TrailerBytes];
        var span = buffer.AsSpan();

        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], LayoutVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], checked((ushort)chunk.ChannelCount));
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], chunk.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], chunk.FirstSample);
        BinaryPrimitives.WriteDoubleLittleEndian(span[24..], chunk.SamplingRateHz);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 0); // reserved flags
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], chunk.SampleCount);
        span[38] = EncodingFloat32;
        span[39] = checked((byte)id.Length);
        var offset = FixedHeaderBytes;
        id.CopyTo(span[offset..]);
        offset += id.Length;

        BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)chunk.Events.Count);
        offset += 2;
        for (var i = 0; i < chunk.Events.Count; i++)
        {
            var marker = chunk.Events[i];
            if (labels[i].Length > EventMarker.MaxLabelBytes)
            {
                throw new ArgumentException($"Event label is {labels[i].Length} UTF-8 bytes; at most {EventMarker.MaxLabelBytes} allowed.", nameof(chunk));
            }

            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], marker.Sample);
            BinaryPrimitives.WriteInt32LittleEndian(span[(offset + 8)..], marker.DurationSamples);
            span[offset + 12] = (byte)labels[i].Length;
            labels[i].CopyTo(span[(offset + 13)..]);
            offset += 13 + labels[i].Length;
        }

        WriteFloats(chunk.Samples, span.Slice(offset, payloadBytes));

        offset += payloadBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], Crc32.HashToUInt32(span[..offset]));
        return buffer;
    }

    /// <summary>
    /// Parses a stored chunk. Throws <see cref="CorruptChunkException"/> when the bytes are not a valid chunk
    /// (wrong magic or version, truncated, checksum mismatch): corrupt data is reported, never returned.
    /// </summary>
    public static SignalChunk Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < FixedHeaderBytes + TrailerBytes)
        {
            throw new CorruptChunkException($"Chunk is {data.Length} bytes, shorter than the smallest valid chunk ({FixedHeaderBytes + TrailerBytes}).");
        }

        if (!data[..4].SequenceEqual(Magic))
        {
            throw new CorruptChunkException("Chunk does not start with the 'NSCK' magic.");
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        var actual = Crc32.HashToUInt32(data[..^4]);
        if (stored != actual)
        {
            throw new CorruptChunkException($"Chunk checksum mismatch: stored CRC-32 0x{stored:x8}, computed 0x{actual:x8}.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != LayoutVersion)
        {
            throw new CorruptChunkException($"Chunk layout version {version} is not supported; this build reads version {LayoutVersion}.");
        }

        try
        {
            return DecodeBody(data);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            throw new CorruptChunkException("Chunk header is inconsistent with its length: " + ex.Message, ex);
        }
    }

    private static SignalChunk DecodeBody(ReadOnlySpan<byte> data)
    {
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        var firstSample = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        var rate = BinaryPrimitives.ReadDoubleLittleEndian(data[24..]);
        var samplesPerChannel = BinaryPrimitives.ReadInt32LittleEndian(data[34..]);
        if (data[38] != EncodingFloat32)
        {
            throw new CorruptChunkException($"Sample encoding {data[38]} is not supported; expected {EncodingFloat32} (float32).");
        }

        int idLength = data[39];
        var offset = FixedHeaderBytes;
        var idText = Encoding.ASCII.GetString(data.Slice(offset, idLength));
        if (!SessionId.TryParse(idText, out var sessionId))
        {
            throw new CorruptChunkException("Chunk carries a malformed session id.");
        }

        offset += idLength;
        int eventCount = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
        offset += 2;
        var events = new EventMarker[eventCount];
        for (var i = 0; i < eventCount; i++)
        {
            var sample = BinaryPrimitives.ReadInt64LittleEndian(data[offset..]);
            var duration = BinaryPrimitives.ReadInt32LittleEndian(data[(offset + 8)..]);
            int labelLength = data[offset + 12];
            events[i] = new EventMarker(sample, duration, Encoding.UTF8.GetString(data.Slice(offset + 13, labelLength)));
            offset += 13 + labelLength;
        }

        var total = checked(channels * samplesPerChannel);
        if (data.Length - offset - TrailerBytes != total * sizeof(float))
        {
            throw new CorruptChunkException($"Chunk declares {channels} channels x {samplesPerChannel} samples but carries {data.Length - offset - TrailerBytes} payload bytes.");
        }

        var samples = new float[total];
        ReadFloats(data.Slice(offset, total * sizeof(float)), samples);

        return new SignalChunk(sessionId, sequence, firstSample, rate, channels, samples, events);
    }
    private static void WriteFloats(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(source).CopyTo(destination);
            return;
        }

        for (var i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], source[i]);
        }
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
        }
    }
}

/// <summary>Stored chunk bytes are not a valid chunk. The data must not be served; the message says what is wrong.</summary>
public sealed class CorruptChunkException : Exception
{
    public CorruptChunkException(string message) : base(message) { }

    public CorruptChunkException(string message, Exception inner) : base(message, inner) { }
}

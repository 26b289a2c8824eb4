using NeuraScale.Domain;
using System.Buffers.Binary;
using System.Text;

namespace NeuraScale.Formats.Mat;

/// <summary>What a MAT export holds besides the samples.</summary>
/// <param name="VariableName">Name of the one struct variable in the file, e.g. "recording".</param>
/// <param name="ChannelNames">Channel names, row order of <c>data</c>.</param>
/// <param name="Units">Unit of each channel.</param>
/// <param name="SamplingRateHz">Sampling rate, Hz.</param>
/// <param name="SampleCount">Samples per channel that will be written.</param>
/// <param name="StartTime">ISO 8601 start of the first sample.</param>
/// <param name="SessionId">The exported session.</param>
/// <param name="Events">Markers: onset and duration in seconds from the first sample, label.</param>
public sealed record MatFileSpec(
    string VariableName,
    IReadOnlyList<string> ChannelNames,
    IReadOnlyList<string> Units,
    double SamplingRateHz,
    long SampleCount,
    string StartTime,
    string SessionId,
    IReadOnlyList<(double OnsetS, double DurationS, string Label)> Events);

/// <summary>
/// Writes a MATLAB Level 5 MAT-file (readable by MATLAB, Octave and <c>scipy.io.loadmat</c>) with one struct:
/// <c>data</c> (single, channels × samples, in the stored units), <c>channel_names</c> and <c>units</c> (cell arrays of
/// char), <c>sampling_rate_hz</c>, <c>start_time</c>, <c>session_id</c> and <c>events</c> (a struct of
/// <c>onset_s</c>, <c>duration_s</c>, <c>label</c>). Every size is known up front, so the samples stream straight to
/// the output in time order (MATLAB stores a channels × samples matrix column by column: one sample of every channel
/// after another), in bounded memory.
/// </summary>
public sealed class MatV5Writer
{
    private const int MiInt8 = 1, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9, MiMatrix = 14;
    private const byte MxCell = 1, MxStruct = 2, MxChar = 4, MxDouble = 6, MxSingle = 7;
    private const int FieldNameLength = 32;

    private readonly Stream _stream;
    private readonly int _channels;
    private readonly long _samples;
    private readonly byte[] _after;
    private long _written;

    private MatV5Writer(Stream stream, int channels, long samples, byte[] after)
    {
        _stream = stream;
        _channels = channels;
        _samples = samples;
        _after = after;
    }

    /// <summary>Writes the file header and everything before the samples.</summary>
    /// <summary>Most bytes of samples one file can hold: a v5 variable's size is a 32-bit count (less room for the other fields).</summary>
    public const long MaxDataBytes = uint.MaxValue - 1024;

    public static async Task<MatV5Writer> CreateAsync(Stream stream, MatFileSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(spec);
        var channels = spec.ChannelNames.Count;
        var dataBytes = checked(channels * spec.SampleCount * 4);
        if (dataBytes > MaxDataBytes)
        {
            throw new InvalidRequestException($"A MAT v5 variable holds at most 4 GB; this export has {dataBytes:N0} bytes of samples. Export fewer channels or a shorter window, or use Parquet.");
        }

        // The small fields are built in memory; the samples' element is sized, not built.
        var fields = new (string Name, byte[]? Bytes)[]
        {
            ("data", null),
            ("channel_names", Cell(spec.ChannelNames, "")),
            ("units", Cell(spec.Units, "")),
            ("sampling_rate_hz", Doubles([spec.SamplingRateHz], 1, 1, "")),
            ("start_time", Chars(spec.StartTime, "")),
            ("session_id", Chars(spec.SessionId, "")),
            ("events", Struct(
                [
                    ("onset_s", Doubles(spec.Events.Select(e => e.OnsetS).ToArray(), spec.Events.Count, 1, "")),
                    ("duration_s", Doubles(spec.Events.Select(e => e.DurationS).ToArray(), spec.Events.Count, 1, "")),
                    ("label", Cell(spec.Events.Select(e => e.Label).ToArray(), "", column: true)),
                ],
                "")),
        };

        var dataHeader = MatrixPrologue(MxSingle, [channels, checked((int)spec.SampleCount)], "").Concat(Tag(MiSingle, (int)dataBytes)).ToArray();
        var dataElement = 8L + dataHeader.Length + Padded(dataBytes);
        var structPrologue = StructPrologue(spec.VariableName, fields.Select(f => f.Name).ToArray());
        var total = structPrologue.Length + dataElement + fields.Skip(1).Sum(f => (long)f.Bytes!.Length);

        var head = new MemoryStream();
        head.Write(FileHeader());
        head.Write(Tag(MiMatrix, checked((int)total)));
        head.Write(structPrologue);
        head.Write(Tag(MiMatrix, checked((int)(dataElement - 8))));
        head.Write(dataHeader);
        await stream.WriteAsync(head.ToArray(), cancellationToken).ConfigureAwait(false);

        var after = new MemoryStream();
        after.Write(new byte[Padded(dataBytes) - dataBytes]);
        foreach (var (_, bytes) in fields.Skip(1))
        {
            after.Write(bytes);
        }

        return new MatV5Writer(stream, channels, spec.SampleCount, after.ToArray());
    }

    /// <summary>Appends <paramref name="count"/> samples of every channel (<c>data[channel][i]</c>).</summary>
    public async Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken = default)
    {
        if (_written + count > _samples)
        {
            throw new InvalidOperationException($"The file was sized for {_samples} samples; {_written + count} were written.");
        }

        var bytes = new byte[count * _channels * 4];
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            for (var c = 0; c < _channels; c++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), data[c][i]);
                at += 4;
            }
        }

        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _written += count;
    }

    /// <summary>Writes what follows the samples; every promised sample must have been written.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_written != _samples)
        {
            throw new InvalidOperationException($"The file was sized for {_samples} samples; only {_written} were written.");
        }

        await _stream.WriteAsync(_after, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static byte[] FileHeader()
    {
        var header = new byte[128];
        var text = Encoding.ASCII.GetBytes($"MATLAB 5.0 MAT-file, Platform: NeuraScale, Created on: {DateTime.UtcNow:ddd MMM dd HH:mm:ss yyyy}".PadRight(116));
        text.AsSpan(0, 116).CopyTo(header);
        header.AsSpan(116, 8).Fill((byte)' ');
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), 0x0100);
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        return header;
    }

    private static byte[] Tag(int type, int bytes)
    {
        var tag = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type);
        BinaryPrimitives.WriteInt32LittleEndian(tag.AsSpan(4), bytes);
        return tag;
    }

    private static long Padded(long bytes) => (bytes + 7) / 8 * 8;

    /// <summary>A data element: tag, payload, zero padding to 8 bytes.</summary>
    private static byte[] Element(int type, byte[] payload)
    {
        var element = new byte[8 + Padded(payload.Length)];
        Tag(type, payload.Length).CopyTo(element, 0);
        payload.CopyTo(element, 8);
        return element;
    }

    /// <summary>Array flags, dimensions and name: the start of every matrix.</summary>
    private static byte[] MatrixPrologue(byte mxClass, int[] dimensions, string name)
    {
        var flags = new byte[8];
        flags[0] = mxClass;
        var dims = new byte[dimensions.Length * 4];
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(dims.AsSpan(i * 4), dimensions[i]);
        }

        return [.. Element(MiUInt32, flags), .. Element(MiInt32, dims), .. Element(MiInt8, Encoding.ASCII.GetBytes(name))];
    }

    private static byte[] Matrix(byte[] body) => [.. Tag(MiMatrix, body.Length), .. body];

    private static byte[] Doubles(double[] values, int rows, int columns, string name)
    {
        var payload = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(i * 8), values[i]);
        }

        return Matrix([.. MatrixPrologue(MxDouble, [rows, columns], name), .. Element(MiDouble, payload)]);
    }

    private static byte[] Chars(string text, string name)
    {
        var payload = new byte[text.Length * 2];
        for (var i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(i * 2), text[i]);
        }

        return Matrix([.. MatrixPrologue(MxChar, [1, text.Length], name), .. Element(MiUInt16, payload)]);
    }

    private static byte[] Cell(IReadOnlyList<string> items, string name, bool column = false)
    {
        var body = new List<byte>(MatrixPrologue(MxCell, column ? [items.Count, 1] : [1, items.Count], name));
        foreach (var item in items)
        {
            body.AddRange(Chars(item, ""));
        }

        return Matrix([.. body]);
    }

    private static byte[] StructPrologue(string name, string[] fieldNames)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, FieldNameLength);
        var names = new byte[fieldNames.Length * FieldNameLength];
        for (var i = 0; i < fieldNames.Length; i++)
        {
            Encoding.ASCII.GetBytes(fieldNames[i]).CopyTo(names, i * FieldNameLength);
        }

        return [.. MatrixPrologue(MxStruct, [1, 1], name), .. Element(MiInt32, length), .. Element(MiInt8, names)];
    }

    private static byte[] Struct((string Name, byte[] Bytes)[] fields, string name) =>
        Matrix([.. StructPrologue(name, fields.Select(f => f.Name).ToArray()), .. fields.SelectMany(f => f.Bytes)]);
}

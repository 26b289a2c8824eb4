using NeuraScale.Domain;
using System.Buffers.Binary;
using System.Text;

namespace NeuraScale.Formats.Fif;

/// <summary>Channel kinds MNE tells apart (FIFFV_*_CH).</summary>
public enum FifChannelKind
{
    Eeg = 2,
    Eog = 202,
    Emg = 302,
    Ecg = 402,
    Misc = 502,
}

/// <summary>One channel of a FIF file.</summary>
/// <param name="Name">Name, up to 15 characters.</param>
/// <param name="Position">Electrode position (metres, head coordinates), if known.</param>
/// <param name="Kind">Channel kind (MNE's channel type).</param>
/// <param name="VoltsPerUnit">Volts per stored unit: 1e-6 for µV (the default), 1e-3 for mV.</param>
public sealed record FifChannelSpec(string Name, (double X, double Y, double Z)? Position = null, FifChannelKind Kind = FifChannelKind.Eeg, double VoltsPerUnit = 1e-6);

/// <summary>What a raw FIF file will hold besides the samples.</summary>
/// <param name="Channels">EEG channels, in data order.</param>
/// <param name="SamplingRateHz">Sampling rate, Hz.</param>
/// <param name="MeasurementDate">Start of the first sample (FIF's meas_date).</param>
/// <param name="HighPassHz">Lowest frequency kept (0 when unfiltered).</param>
/// <param name="LowPassHz">Highest frequency kept (Nyquist when unfiltered).</param>
/// <param name="Annotations">Markers: onset and duration in seconds from the first sample, description.</param>
public sealed record FifFileSpec(
    IReadOnlyList<FifChannelSpec> Channels,
    double SamplingRateHz,
    DateTimeOffset MeasurementDate,
    double HighPassHz,
    double LowPassHz,
    IReadOnlyList<(double OnsetS, double DurationS, string Description)> Annotations);

/// <summary>
/// Writes an MNE-readable raw FIF file (<c>mne.io.read_raw_fif</c>) as samples arrive: a measurement block with the
/// measurement info (channel count, sampling rate, filter band, measurement date, one EEG channel record per channel),
/// the annotations, and a raw-data block of float32 buffers. Samples are stored in their unit (µV by default) with each channel's calibration (1e-6 for µV)
/// (so MNE reads volts); each buffer is one second (or <see cref="BufferSamples"/>) of every channel. Tags follow the
/// FIF layout MNE itself writes (big-endian: kind, type, size, next, data); constants from <c>mne/io/constants.py</c>.
/// </summary>
public sealed class FifRawWriter
{
    private const int FileId = 100, DirPointer = 101, BlockId = 103, BlockStart = 104, BlockEnd = 105, FreeList = 106, Nop = 108;
    private const int Meas = 100, MeasInfo = 101, RawData = 102, MneAnnotations = 3810;
    private const int NChan = 200, SFreq = 201, ChInfo = 203, MeasDate = 204, Comment = 206, FirstSample = 208, LowPass = 219, HighPass = 223;
    private const int DataBuffer = 300, BaselineMin = 3568, BaselineMax = 3569;
    private const int TypeVoid = 0, TypeInt = 3, TypeFloat = 4, TypeDouble = 5, TypeString = 10, TypeChInfo = 30, TypeId = 31, TypeDigPoint = 33;
    private const int Isotrak = 107, DigPoint = 213, PointEeg = 3;
    private const int EegCoil = 1, NoCoil = 0, UnitVolt = 107;

    private readonly Stream _stream;
    private readonly int _channels;
    private readonly float[][] _buffer;
    private int _filled;
    private (int Seconds, int Microseconds) _measDate;

    private FifRawWriter(Stream stream, int channels, int bufferSamples)
    {
        _stream = stream;
        _channels = channels;
        BufferSamples = bufferSamples;
        _buffer = Enumerable.Range(0, channels).Select(_ => new float[bufferSamples]).ToArray();
    }

    /// <summary>Samples of each channel per data buffer.</summary>
    public int BufferSamples { get; }

    /// <summary>Writes the file id, the measurement info and the annotations; returns a writer for the samples.</summary>
    public static async Task<FifRawWriter> CreateAsync(Stream stream, FifFileSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Channels.Count == 0 || spec.Channels.Any(c => c.Name.Length is 0 or > 15) || spec.Channels.Select(c => c.Name).Distinct().Count() != spec.Channels.Count)
        {
            throw new InvalidRequestException("FIF channel names must be unique and 1–15 characters long.");
        }

        var head = new MemoryStream();
        var seconds = (int)spec.MeasurementDate.ToUnixTimeSeconds();
        var microseconds = (int)((spec.MeasurementDate.ToUnixTimeMilliseconds() % 1000) * 1000);
        Id(head, FileId, seconds, microseconds);
        Ints(head, DirPointer, -1);
        Ints(head, FreeList, -1);
        Ints(head, BlockStart, Meas);
        Id(head, BlockId, seconds, microseconds);
        Ints(head, BlockStart, MeasInfo);
        Ints(head, NChan, spec.Channels.Count);
        Floats(head, SFreq, (float)spec.SamplingRateHz);
        Floats(head, LowPass, (float)spec.LowPassHz);
        Floats(head, HighPass, (float)spec.HighPassHz);
        Ints(head, MeasDate, seconds, microseconds);
        for (var c = 0; c < spec.Channels.Count; c++)
        {
            ChannelInfo(head, c, spec.Channels[c]);
        }

        DigitisedPoints(head, spec.Channels);
        Ints(head, BlockEnd, MeasInfo);
        Annotations(head, spec.Annotations, seconds, microseconds);

        Ints(head, BlockStart, RawData);
        Ints(head, FirstSample, 0);
        await stream.WriteAsync(head.ToArray(), cancellationToken).ConfigureAwait(false);
        var bufferSamples = Math.Max(1, (int)Math.Round(spec.SamplingRateHz));
        return new FifRawWriter(stream, spec.Channels.Count, bufferSamples) { _measDate = (seconds, microseconds) };
    }

    /// <summary>Appends <paramref name="count"/> samples of every channel (<c>data[channel][i]</c>, in each channel's unit).</summary>
    public async Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (offset < count)
        {
            var take = Math.Min(BufferSamples - _filled, count - offset);
            for (var c = 0; c < _channels; c++)
            {
                Array.Copy(data[c], offset, _buffer[c], _filled, take);
            }

            _filled += take;
            offset += take;
            if (_filled == BufferSamples)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes the last (shorter) buffer and closes the blocks. <paramref name="annotations"/> known only now (markers
    /// met while streaming) go after the data; MNE finds the annotations block anywhere in the measurement.
    /// </summary>
    public async Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Description)>? annotations = null, CancellationToken cancellationToken = default)
    {
        if (_filled > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var tail = new MemoryStream();
        Ints(tail, BlockEnd, RawData);
        Annotations(tail, annotations ?? [], _measDate.Seconds, _measDate.Microseconds);
        Ints(tail, BlockEnd, Meas);
        Tag(tail, Nop, TypeVoid, 0, next: -1);
        await _stream.WriteAsync(tail.ToArray(), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        // One sample of every channel after another (MNE stores a buffer as samples × channels).
        var bytes = new byte[16 + (_filled * _channels * 4)];
        WriteTagHeader(bytes, DataBuffer, TypeFloat, _filled * _channels * 4, 0);
        var at = 16;
        for (var i = 0; i < _filled; i++)
        {
            for (var c = 0; c < _channels; c++)
            {
                BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(at), _buffer[c][i]);
                at += 4;
            }
        }

        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _filled = 0;
    }

    private static void WriteTagHeader(Span<byte> into, int kind, int type, int size, int next)
    {
        BinaryPrimitives.WriteInt32BigEndian(into, kind);
        BinaryPrimitives.WriteInt32BigEndian(into[4..], type);
        BinaryPrimitives.WriteInt32BigEndian(into[8..], size);
        BinaryPrimitives.WriteInt32BigEndian(into[12..], next);
    }

    private static void Tag(Stream to, int kind, int type, int size, int next = 0)
    {
        Span<byte> header = stackalloc byte[16];
        WriteTagHeader(header, kind, type, size, next);
        to.Write(header);
    }

    private static void Ints(Stream to, int kind, params int[] values)
    {
        Tag(to, kind, TypeInt, values.Length * 4);
        Span<byte> v = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt32BigEndian(v, value);
            to.Write(v);
        }
    }

    private static void Floats(Stream to, int kind, params float[] values)
    {
        Tag(to, kind, TypeFloat, values.Length * 4);
        Span<byte> v = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleBigEndian(v, value);
            to.Write(v);
        }
    }

    private static void Doubles(Stream to, int kind, params double[] values)
    {
        Tag(to, kind, TypeDouble, values.Length * 8);
        Span<byte> v = stackalloc byte[8];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteDoubleBigEndian(v, value);
            to.Write(v);
        }
    }

    private static void Text(Stream to, int kind, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        Tag(to, kind, TypeString, bytes.Length);
        to.Write(bytes);
    }

    /// <summary>A FIF id struct: version, machine id (two ints), time (seconds, microseconds).</summary>
    private static void Id(Stream to, int kind, int seconds, int microseconds)
    {
        Tag(to, kind, TypeId, 20);
        Span<byte> v = stackalloc byte[20];
        BinaryPrimitives.WriteInt32BigEndian(v, (1 << 16) | 3); // FIFFC_VERSION 1.3
        BinaryPrimitives.WriteInt32BigEndian(v[4..], 0x4E53);  // machine id: "NS"
        BinaryPrimitives.WriteInt32BigEndian(v[8..], 0);
        BinaryPrimitives.WriteInt32BigEndian(v[12..], seconds);
        BinaryPrimitives.WriteInt32BigEndian(v[16..], microseconds);
        to.Write(v);
    }

    /// <summary>
    /// The electrode positions again as digitised EEG points (head coordinates, the Isotrak block MNE reads into
    /// <c>info['dig']</c>), so <c>raw.get_montage()</c> and sensor plots work; nothing when no channel has a position.
    /// </summary>
    private static void DigitisedPoints(Stream to, IReadOnlyList<FifChannelSpec> channels)
    {
        if (channels.All(c => c.Position is null))
        {
            return;
        }

        Ints(to, BlockStart, Isotrak);
        for (var c = 0; c < channels.Count; c++)
        {
            if (channels[c].Position is not { } p)
            {
                continue;
            }

            Tag(to, DigPoint, TypeDigPoint, 20);
            var v = new byte[20];
            BinaryPrimitives.WriteInt32BigEndian(v, PointEeg);
            BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(4), c + 1);
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(8), (float)p.X);
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(12), (float)p.Y);
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(16), (float)p.Z);
            to.Write(v);
        }

        Ints(to, BlockEnd, Isotrak);
    }

    /// <summary>MNE's annotations block: onsets, ends, descriptions (':'-separated) and the time origin; nothing when empty.</summary>
    private static void Annotations(Stream to, IReadOnlyList<(double OnsetS, double DurationS, string Description)> annotations, int seconds, int microseconds)
    {
        if (annotations.Count == 0)
        {
            return;
        }

        Ints(to, BlockStart, MneAnnotations);
        Floats(to, BaselineMin, annotations.Select(a => (float)a.OnsetS).ToArray());
        Floats(to, BaselineMax, annotations.Select(a => (float)(a.OnsetS + a.DurationS)).ToArray());
        Text(to, Comment, string.Join(':', annotations.Select(a => a.Description.Replace(":", "{COLON}", StringComparison.Ordinal))));
        Doubles(to, MeasDate, seconds, microseconds);
        Ints(to, BlockEnd, MneAnnotations);
    }

    /// <summary>fiffChInfoRec: scanno, logno, kind, range, cal, coil type, loc[12], unit, unit multiplier, name[16].</summary>
    private static void ChannelInfo(Stream to, int index, FifChannelSpec channel)
    {
        Tag(to, ChInfo, TypeChInfo, 96);
        var v = new byte[96];
        BinaryPrimitives.WriteInt32BigEndian(v, index + 1);
        BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(4), index + 1);
        BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(8), (int)channel.Kind);
        BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(12), 1f);
        BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(16), (float)channel.VoltsPerUnit);
        BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(20), channel.Kind == FifChannelKind.Eeg ? EegCoil : NoCoil);
        if (channel.Position is { } p)
        {
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(24), (float)p.X);
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(28), (float)p.Y);
            BinaryPrimitives.WriteSingleBigEndian(v.AsSpan(32), (float)p.Z);
        }

        BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(72), UnitVolt);
        BinaryPrimitives.WriteInt32BigEndian(v.AsSpan(76), 0);
        Encoding.Latin1.GetBytes(channel.Name).CopyTo(v, 80);
        to.Write(v);
    }
}

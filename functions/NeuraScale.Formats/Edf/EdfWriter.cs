using NeuraScale.Domain;
using System.Globalization;
using System.Text;

namespace NeuraScale.Formats.Edf;

/// <summary>One signal to write: its header fields; the physical range must contain every value written.</summary>
/// <param name="Label">Label, up to 16 ASCII characters, e.g. "Fp1".</param>
/// <param name="Transducer">Transducer type, e.g. "AgAgCl electrode".</param>
/// <param name="PhysicalDimension">Unit, up to 8 characters, e.g. "uV".</param>
/// <param name="PhysicalMinimum">Smallest value in the data (the writer rounds outwards to what 8 characters can say).</param>
/// <param name="PhysicalMaximum">Largest value in the data.</param>
/// <param name="Prefiltering">Filters applied, e.g. "HP:0.1Hz LP:40Hz N:50Hz"; empty if none.</param>
public sealed record EdfChannelSpec(string Label, string Transducer, string PhysicalDimension, double PhysicalMinimum, double PhysicalMaximum, string Prefiltering);

/// <summary>What an EDF+ file will hold.</summary>
/// <param name="PatientCode">EDF+ patient code (a pseudonym; sex, birth date and name are written as "X").</param>
/// <param name="RecordingCode">EDF+ hospital administration code (a session id).</param>
/// <param name="Equipment">EDF+ equipment subfield (the device).</param>
/// <param name="StartTime">Start of the first sample (its date and time to the second go in the header).</param>
/// <param name="SamplingRateHz">Samples per second of every signal.</param>
/// <param name="SampleCount">Samples per signal that will be written.</param>
/// <param name="Channels">The signals.</param>
/// <param name="Annotations">Markers; onsets in seconds from the first sample.</param>
/// <param name="Bdf">Write BDF+ (24-bit samples, "BDF+C", as BioSemi defined it) instead of EDF+ (16-bit).</param>
public sealed record EdfFileSpec(
    string PatientCode,
    string RecordingCode,
    string Equipment,
    DateTime StartTime,
    double SamplingRateHz,
    long SampleCount,
    IReadOnlyList<EdfChannelSpec> Channels,
    IReadOnlyList<EdfAnnotation> Annotations,
    bool Bdf = false);

/// <summary>
/// Writes a continuous EDF+ file ("EDF+C", 16-bit) — or BDF+ ("BDF+C", 24-bit) — to a stream as samples arrive, in bounded memory (one data record
/// at a time): physical ranges chosen so that no value is clipped, data records of a duration in which every sampling
/// rate gives whole samples, and an "EDF Annotations" signal with the time-keeping TAL of every record and each marker
/// in the record where it starts. The last record is completed by repeating the last sample; readers therefore see up to
/// one record more than <see cref="EdfFileSpec.SampleCount"/> (an annotation "end of recording" marks the true end).
/// </summary>
public sealed class EdfWriter
{
    private readonly int _bytesPerSample;
    private readonly int _digitalMinimum;
    private readonly int _digitalMaximum;
    private readonly string _annotationLabel;

    private readonly Stream _stream;
    private readonly EdfFileSpec _spec;
    private readonly double[] _physicalMinimum;
    private readonly double[] _physicalMaximum;
    private readonly double[][] _record;       // one record's samples per channel
    private readonly List<EdfAnnotation>[] _annotationsByRecord;
    private readonly int _annotationBytes;
    private int _filled;
    private long _recordsWritten;

    private EdfWriter(Stream stream, EdfFileSpec spec)
    {
        _stream = stream;
        _spec = spec;
        (_bytesPerSample, _digitalMinimum, _digitalMaximum, _annotationLabel) = spec.Bdf
            ? (3, -8388608, 8388607, "BDF Annotations")
            : (2, -32768, 32767, "EDF Annotations");
        (RecordDurationSeconds, SamplesPerRecord) = RecordLayout(spec.SamplingRateHz);
        RecordCount = Math.Max(1, (spec.SampleCount + SamplesPerRecord - 1) / SamplesPerRecord);
        _physicalMinimum = spec.Channels.Select(c => RoundOutwards(c.PhysicalMinimum, down: true)).ToArray();
        _physicalMaximum = spec.Channels.Select((c, i) => RoundOutwards(Math.Max(c.PhysicalMaximum, c.PhysicalMinimum + 1e-6), down: false)).ToArray();
        for (var i = 0; i < _physicalMaximum.Length; i++)
        {
            if (_physicalMaximum[i] <= _physicalMinimum[i])
            {
                _physicalMaximum[i] = RoundOutwards(_physicalMinimum[i] + 1, down: false); // a flat signal still needs a range
            }
        }

        _record = spec.Channels.Select(_ => new double[SamplesPerRecord]).ToArray();
        var end = new EdfAnnotation(spec.SampleCount / spec.SamplingRateHz, 0, "end of recording");
        _annotationsByRecord = Enumerable.Range(0, checked((int)RecordCount)).Select(_ => new List<EdfAnnotation>()).ToArray();
        foreach (var a in spec.Annotations.Append(end))
        {
            var record = (int)Math.Clamp(Math.Floor(a.OnsetSeconds / RecordDurationSeconds), 0, RecordCount - 1);
            _annotationsByRecord[record].Add(a);
        }

        var longest = _annotationsByRecord.Select((list, r) => Encoding.UTF8.GetByteCount(TimeKeeping(r * RecordDurationSeconds)) + list.Sum(a => Encoding.UTF8.GetByteCount(Tal(a)))).Max();
        // Whole samples of the annotation signal: a multiple of 2 bytes in EDF, of 3 in BDF.
        var bytes = Math.Max(64, longest);
        _annotationBytes = (bytes + _bytesPerSample - 1) / _bytesPerSample * _bytesPerSample;
    }

    /// <summary>Duration of one data record, seconds.</summary>
    public double RecordDurationSeconds { get; }

    /// <summary>Samples of each signal in one data record.</summary>
    public int SamplesPerRecord { get; }

    public long RecordCount { get; }

    /// <summary>Writes the header and returns a writer ready for samples.</summary>
    /// <exception cref="ArgumentException">The spec cannot be written as EDF+ (no channels, a label too long, a rate with no whole-sample record).</exception>
    public static async Task<EdfWriter> CreateAsync(Stream stream, EdfFileSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Channels.Count == 0 || spec.Channels.Count > 9998)
        {
            throw new InvalidRequestException($"An EDF file holds 1–9998 signals besides annotations; got {spec.Channels.Count}.");
        }

        var writer = new EdfWriter(stream, spec);
        await stream.WriteAsync(writer.Header(), cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <summary>Appends <paramref name="count"/> samples of every channel (<c>data[channel][i]</c>, physical units).</summary>
    public async Task WriteAsync(double[][] data, int count, CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (offset < count)
        {
            var take = Math.Min(SamplesPerRecord - _filled, count - offset);
            for (var c = 0; c < _record.Length; c++)
            {
                Array.Copy(data[c], offset, _record[c], _filled, take);
            }

            _filled += take;
            offset += take;
            if (_filled == SamplesPerRecord)
            {
                await FlushRecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Completes the last record and any records promised in the header but not written.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_filled > 0 || _recordsWritten < RecordCount)
        {
            for (var c = 0; c < _record.Length; c++)
            {
                var last = _filled > 0 ? _record[c][_filled - 1] : 0;
                Array.Fill(_record[c], last, _filled, SamplesPerRecord - _filled);
            }

            _filled = SamplesPerRecord;
            while (_recordsWritten < RecordCount)
            {
                await FlushRecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The shortest record duration (at most 60 s) in which the sampling rate gives a whole number of samples:
    /// 1 s for whole-Hz rates, e.g. 3 s for 83.333… Hz.
    /// </summary>
    public static (double Seconds, int Samples) RecordLayout(double samplingRateHz)
    {
        for (var seconds = 1; seconds <= 60; seconds++)
        {
            var samples = samplingRateHz * seconds;
            if (Math.Abs(samples - Math.Round(samples)) < 1e-6 && samples >= 1)
            {
                return (seconds, (int)Math.Round(samples));
            }
        }

        throw new InvalidRequestException($"No record of 1–60 s holds a whole number of samples at {samplingRateHz} Hz; resample to a rational rate first.");
    }

    private async Task FlushRecordAsync(CancellationToken cancellationToken)
    {
        var bytes = new byte[(SamplesPerRecord * _record.Length * _bytesPerSample) + _annotationBytes];
        var at = 0;
        for (var c = 0; c < _record.Length; c++)
        {
            var min = _physicalMinimum[c];
            var scale = (_digitalMaximum - _digitalMinimum) / (_physicalMaximum[c] - min);
            for (var i = 0; i < SamplesPerRecord; i++)
            {
                var digital = (int)Math.Round(((_record[c][i] - min) * scale) + _digitalMinimum, MidpointRounding.AwayFromZero);
                var clamped = Math.Clamp(digital, _digitalMinimum, _digitalMaximum);
                bytes[at++] = (byte)clamped; // little-endian two's complement, 2 or 3 bytes
                bytes[at++] = (byte)(clamped >> 8);
                if (_bytesPerSample == 3)
                {
                    bytes[at++] = (byte)(clamped >> 16);
                }
            }
        }

        var tals = new StringBuilder(TimeKeeping(_recordsWritten * RecordDurationSeconds));
        foreach (var a in _annotationsByRecord[_recordsWritten])
        {
            tals.Append(Tal(a));
        }

        Encoding.UTF8.GetBytes(tals.ToString()).CopyTo(bytes, at); // the rest stays 0: unused annotation bytes
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _recordsWritten++;
        _filled = 0;
    }

    private byte[] Header()
    {
        var signals = _spec.Channels.Count + 1;
        var header = new StringBuilder();
        header.Append(Field(_spec.Bdf ? "_BIOSEMI" : "0", 8)); // BDF: byte 0 becomes 0xFF below
        header.Append(Field($"{Subfield(_spec.PatientCode)} X X X", 80));
        header.Append(Field($"Startdate {_spec.StartTime.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture).ToUpperInvariant()} {Subfield(_spec.RecordingCode)} X {Subfield(_spec.Equipment)}", 80));
        header.Append(_spec.StartTime.ToString("dd.MM.yy", CultureInfo.InvariantCulture));
        header.Append(_spec.StartTime.ToString("HH.mm.ss", CultureInfo.InvariantCulture));
        header.Append(Field((256 * (signals + 1)).ToString(CultureInfo.InvariantCulture), 8));
        header.Append(Field(_spec.Bdf ? "BDF+C" : "EDF+C", 44));
        header.Append(Field(RecordCount.ToString(CultureInfo.InvariantCulture), 8));
        header.Append(Field(RecordDurationSeconds.ToString(CultureInfo.InvariantCulture), 8));
        header.Append(Field(signals.ToString(CultureInfo.InvariantCulture), 4));

        var channels = _spec.Channels;
        void Each(Func<int, string> value, int width)
        {
            for (var c = 0; c < channels.Count; c++)
            {
                header.Append(Field(value(c), width));
            }
        }

        Each(c => channels[c].Label, 16);
        header.Append(Field(_annotationLabel, 16));
        Each(c => channels[c].Transducer, 80);
        header.Append(Field("", 80));
        Each(c => channels[c].PhysicalDimension, 8);
        header.Append(Field("", 8));
        Each(c => Number(_physicalMinimum[c]), 8);
        header.Append(Field("-1", 8));
        Each(c => Number(_physicalMaximum[c]), 8);
        header.Append(Field("1", 8));
        Each(_ => _digitalMinimum.ToString(CultureInfo.InvariantCulture), 8);
        header.Append(Field(_digitalMinimum.ToString(CultureInfo.InvariantCulture), 8));
        Each(_ => _digitalMaximum.ToString(CultureInfo.InvariantCulture), 8);
        header.Append(Field(_digitalMaximum.ToString(CultureInfo.InvariantCulture), 8));
        Each(c => channels[c].Prefiltering, 80);
        header.Append(Field("", 80));
        Each(_ => SamplesPerRecord.ToString(CultureInfo.InvariantCulture), 8);
        header.Append(Field((_annotationBytes / _bytesPerSample).ToString(CultureInfo.InvariantCulture), 8));
        Each(_ => "", 32);
        header.Append(Field("", 32));

        var text = header.ToString();
        if (text.Length != 256 * (signals + 1))
        {
            throw new InvalidOperationException($"EDF header is {text.Length} bytes, expected {256 * (signals + 1)}.");
        }

        var result = Encoding.ASCII.GetBytes(text);
        if (_spec.Bdf)
        {
            result[0] = 0xFF;
        }

        return result;
    }

    /// <summary>An ASCII header field, left-aligned and space-padded; refuses what does not fit.</summary>
    private static string Field(string value, int width)
    {
        var ascii = new string(value.Select(ch => ch is >= ' ' and <= '~' ? ch : '_').ToArray());
        if (ascii.Length > width)
        {
            throw new ArgumentException($"'{value}' does not fit an EDF header field of {width} characters.", nameof(value));
        }

        return ascii.PadRight(width);
    }

    /// <summary>EDF+ subfields are separated by spaces, so spaces inside one become underscores.</summary>
    private static string Subfield(string value) => string.IsNullOrWhiteSpace(value) ? "X" : value.Trim().Replace(' ', '_');

    /// <summary>The value rounded away from the data to the most precise form that fits 8 characters.</summary>
    private static double RoundOutwards(double value, bool down)
    {
        for (var decimals = 6; decimals >= 0; decimals--)
        {
            var factor = Math.Pow(10, decimals);
            var rounded = (down ? Math.Floor(value * factor) : Math.Ceiling(value * factor)) / factor;
            if (Number(rounded).Length <= 8)
            {
                return rounded;
            }
        }

        throw new InvalidRequestException($"The physical value {value} cannot be written in EDF's 8 characters; rescale the signal (e.g. to mV).");
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.#######", CultureInfo.InvariantCulture);

    /// <summary>The time-keeping TAL that opens every record's annotations: "+onset\x14\x14\0".</summary>
    private static string TimeKeeping(double onset) => $"+{Seconds(onset)}\u0014\u0014\u0000";

    /// <summary>An annotation TAL: "+onset[\x15duration]\x14text\x14\0" (EDF+ section 2.2).</summary>
    private static string Tal(EdfAnnotation a)
    {
        var text = new string(a.Text.Select(ch => ch is '\u0014' or '\u0015' or '\u0000' ? ' ' : ch).ToArray());
        var duration = a.DurationSeconds > 0 ? "\u0015" + Seconds(a.DurationSeconds) : "";
        return $"+{Seconds(a.OnsetSeconds)}{duration}\u0014{text}\u0014\u0000";
    }
}

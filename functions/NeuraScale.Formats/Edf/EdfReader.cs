using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NeuraScale.Formats.Edf;

/// <summary>
/// Reads EDF and EDF+ files (European Data Format; Kemp et al. 1992, 2003) and their 24-bit BioSemi variants BDF and
/// BDF+: header, data records, and annotations. Robust to what real files contain: space-padded fields, labels padded with dots, and bytes after a
/// TAL's terminating NUL that are not valid UTF-8 (each TAL is read only up to its NUL).
/// </summary>
public sealed class EdfReader : IDisposable
{
    private readonly Stream _stream;
    private readonly long[] _signalOffsets;

    private EdfReader(Stream stream, EdfHeader header)
    {
        _stream = stream;
        Header = header;
        _signalOffsets = new long[header.Signals.Count];
        long offset = 0;
        for (var i = 0; i < header.Signals.Count; i++)
        {
            _signalOffsets[i] = offset;
            offset += header.Signals[i].SamplesPerRecord * (long)header.BytesPerSample;
        }
    }

    public EdfHeader Header { get; }

    public static EdfReader Open(string path) => Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess));

    /// <summary>Reads the header from a seekable stream, which the reader then owns.</summary>
    /// <exception cref="FormatException">The header is not a valid EDF header; the message names the field.</exception>
    public static EdfReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("EDF reading needs a seekable stream.", nameof(stream));
        }

        var fixedPart = ReadExactly(stream, 256, "the 256-byte fixed header");
        string Field(int offset, int length) => Encoding.Latin1.GetString(fixedPart, offset, length).Trim();
        var bdf = fixedPart[0] == 0xFF && Encoding.Latin1.GetString(fixedPart, 1, 7) == "BIOSEMI";
        if (!bdf && Field(0, 8) != "0")
        {
            throw new FormatException($"Not an EDF or BDF file: the version field is '{Field(0, 8)}'; EDF files start with '0', BDF files with byte 255 and 'BIOSEMI'.");
        }

        var bytesPerSample = bdf ? 3 : 2;
        var signalCount = ParseInt(Field(252, 4), "number of signals");
        var headerBytes = ParseInt(Field(184, 8), "number of bytes in header record");
        if (signalCount < 1 || headerBytes != 256 * (signalCount + 1))
        {
            throw new FormatException($"EDF header declares {signalCount} signals and {headerBytes} header bytes; expected 256·(signals + 1).");
        }

        var signalPart = ReadExactly(stream, 256 * signalCount, "the signal headers");
        string[] Column(int start, int width) => Enumerable.Range(0, signalCount)
            .Select(i => Encoding.Latin1.GetString(signalPart, (start * signalCount) + (i * width), width).Trim()).ToArray();
        var labels = Column(0, 16);
        var transducers = Column(16, 80);
        var dimensions = Column(96, 8);
        var physMin = Column(104, 8);
        var physMax = Column(112, 8);
        var digMin = Column(120, 8);
        var digMax = Column(128, 8);
        var prefilter = Column(136, 80);
        var samples = Column(216, 8);

        var signals = Enumerable.Range(0, signalCount).Select(i => new EdfSignal(
            labels[i], transducers[i], dimensions[i],
            ParseDouble(physMin[i], $"physical minimum of signal {i} ({labels[i]})"),
            ParseDouble(physMax[i], $"physical maximum of signal {i} ({labels[i]})"),
            ParseInt(digMin[i], $"digital minimum of signal {i} ({labels[i]})"),
            ParseInt(digMax[i], $"digital maximum of signal {i} ({labels[i]})"),
            prefilter[i],
            ParseInt(samples[i], $"samples per record of signal {i} ({labels[i]})"))).ToArray();

        foreach (var s in signals.Where(s => !s.IsAnnotation && s.DigitalMaximum <= s.DigitalMinimum))
        {
            throw new FormatException($"Signal '{s.Label}' has digital maximum {s.DigitalMaximum} not above its minimum {s.DigitalMinimum}.");
        }

        var recordBytes = signals.Sum(s => s.SamplesPerRecord) * (long)bytesPerSample;
        var declared = ParseLong(Field(236, 8), "number of data records");
        var available = recordBytes == 0 ? 0 : (stream.Length - headerBytes) / recordBytes;
        var header = new EdfHeader(
            Field(8, 80),
            Field(88, 80),
            ParseStart(Field(168, 8), Field(176, 8)),
            headerBytes,
            Field(192, 44),
            declared < 0 ? available : Math.Min(declared, available),
            ParseDouble(Field(244, 8), "duration of a data record"),
            signals,
            declared,
            bytesPerSample);
        return new EdfReader(stream, header);
    }

    /// <summary>Physical samples of one signal from data records [firstRecord, firstRecord + recordCount).</summary>
    public double[] ReadPhysical(int signal, long firstRecord, int recordCount)
    {
        var s = Header.Signals[signal];
        if (s.IsAnnotation)
        {
            throw new ArgumentException($"Signal {signal} is the annotation signal; read it with ReadAnnotations.", nameof(signal));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstRecord);
        if (firstRecord + recordCount > Header.RecordCount)
        {
            throw new ArgumentOutOfRangeException(nameof(recordCount), $"Records {firstRecord}–{firstRecord + recordCount - 1} requested; the file has {Header.RecordCount}.");
        }

        var result = new double[s.SamplesPerRecord * recordCount];
        var bytes = new byte[s.SamplesPerRecord * Header.BytesPerSample];
        for (var r = 0; r < recordCount; r++)
        {
            ReadSignalBytes(signal, firstRecord + r, bytes);
            for (var i = 0; i < s.SamplesPerRecord; i++)
            {
                result[(r * s.SamplesPerRecord) + i] = s.ToPhysical(Sample(bytes, i));
            }
        }

        return result;
    }

    /// <summary>Every annotation in the file, in order, without the per-record time-keeping entries.</summary>
    public IReadOnlyList<EdfAnnotation> ReadAnnotations()
    {
        var annotations = new List<EdfAnnotation>();
        for (var signal = 0; signal < Header.Signals.Count; signal++)
        {
            if (!Header.Signals[signal].IsAnnotation)
            {
                continue;
            }

            var bytes = new byte[Header.Signals[signal].SamplesPerRecord * Header.BytesPerSample];
            for (long record = 0; record < Header.RecordCount; record++)
            {
                ReadSignalBytes(signal, record, bytes);
                ParseTals(bytes, annotations);
            }
        }

        return annotations.OrderBy(a => a.OnsetSeconds).ToArray();
    }

    /// <summary>
    /// Reads every record once and reports what a damaged file shows: samples outside the header's digital range (a
    /// conforming writer never writes one; byte shifts — e.g. line-ending conversion — produce them by the thousand),
    /// and, in EDF+, records whose time-keeping annotation does not give their own onset (record r of an EDF+C file
    /// starts at the first record's onset + r × the record duration; EDF+D records only move forward).
    /// </summary>
    public EdfIntegrity CheckIntegrity()
    {
        long outside = 0;
        string? firstOutside = null;
        var misplaced = new List<long>();
        var buffer = new byte[Header.RecordBytes];
        var continuous = Header.IsContinuousPlus;
        double? firstOnset = null;
        var previousOnset = double.NegativeInfinity;
        for (long record = 0; record < Header.RecordCount; record++)
        {
            _stream.Position = Header.HeaderBytes + (record * Header.RecordBytes);
            _stream.ReadExactly(buffer);
            for (var signal = 0; signal < Header.Signals.Count; signal++)
            {
                var s = Header.Signals[signal];
                var bytes = buffer.AsSpan((int)_signalOffsets[signal], s.SamplesPerRecord * Header.BytesPerSample);
                if (s.IsAnnotation)
                {
                    var onset = TimeKeepingOnset(bytes);
                    firstOnset ??= onset;
                    var expected = firstOnset + (record * Header.RecordDurationSeconds);
                    if (onset is null || (continuous ? Math.Abs(onset.Value - expected!.Value) > 1e-6 : onset.Value <= previousOnset))
                    {
                        misplaced.Add(record);
                    }

                    previousOnset = onset ?? previousOnset;
                    continue;
                }

                for (var i = 0; i < s.SamplesPerRecord; i++)
                {
                    var value = Sample(bytes, i);
                    if (value < s.DigitalMinimum || value > s.DigitalMaximum)
                    {
                        outside++;
                        firstOutside ??= $"record {record}, signal '{s.Label}', sample {i}: {value} outside the digital range {s.DigitalMinimum}…{s.DigitalMaximum}";
                    }
                }
            }
        }

        var missing = Header.DeclaredRecordCount > Header.RecordCount ? Header.DeclaredRecordCount - Header.RecordCount : 0;
        // Bytes after all the declared records are padding some writers add, not a record cut short.
        var trailing = Header.RecordCount == Header.DeclaredRecordCount ? 0 : _stream.Length - Header.HeaderBytes - (Header.RecordCount * Header.RecordBytes);
        return new EdfIntegrity(Header.RecordCount, outside, firstOutside, misplaced, missing, trailing);
    }

    /// <summary>The <paramref name="index"/>th little-endian two's-complement sample: 16-bit (EDF) or 24-bit (BDF).</summary>
    private int Sample(ReadOnlySpan<byte> bytes, int index) => Header.BytesPerSample == 2
        ? BinaryPrimitives.ReadInt16LittleEndian(bytes[(index * 2)..])
        : (bytes[index * 3] | (bytes[(index * 3) + 1] << 8) | ((sbyte)bytes[(index * 3) + 2] << 16));

    public void Dispose() => _stream.Dispose();

    /// <summary>The onset of a record's time-keeping TAL (its first, "+onset\x14\x14"); null when there is none.</summary>
    private static double? TimeKeepingOnset(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0x14);
        return end > 0 && (bytes[0] == (byte)'+' || bytes[0] == (byte)'-')
            && double.TryParse(bytes[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var onset)
            ? onset
            : null;
    }

    /// <summary>Parses the time-stamped annotation lists (TALs) of one record's annotation bytes.</summary>
    public static void ParseTals(ReadOnlySpan<byte> bytes, List<EdfAnnotation> into)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)0);
            var tal = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (tal.IsEmpty || (tal[0] != (byte)'+' && tal[0] != (byte)'-'))
            {
                continue; // padding, or bytes after a TAL's terminating NUL
            }

            var parts = Encoding.UTF8.GetString(tal).Split('\u0014');
            var timing = parts[0].Split('\u0015');
            if (!double.TryParse(timing[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var onset))
            {
                continue;
            }

            var duration = timing.Length > 1 && double.TryParse(timing[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
            foreach (var text in parts.Skip(1).Where(p => p.Length > 0))
            {
                into.Add(new EdfAnnotation(onset, duration, text));
            }
        }
    }

    /// <summary>The raw bytes of one signal in one data record (for the annotation signal: its TALs).</summary>
    public byte[] ReadSignalRecord(int signal, long record)
    {
        var bytes = new byte[Header.Signals[signal].SamplesPerRecord * Header.BytesPerSample];
        ReadSignalBytes(signal, record, bytes);
        return bytes;
    }

    private void ReadSignalBytes(int signal, long record, byte[] buffer)
    {
        _stream.Position = Header.HeaderBytes + (record * Header.RecordBytes) + _signalOffsets[signal];
        _stream.ReadExactly(buffer);
    }

    private static byte[] ReadExactly(Stream stream, int count, string what)
    {
        var buffer = new byte[count];
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new FormatException($"File ends inside {what}: not an EDF file, or truncated.");
        }

        return buffer;
    }

    private static DateTime ParseStart(string date, string time)
    {
        // dd.mm.yy and hh.mm.ss; years 85–99 are 1985–1999, 00–84 are 2000–2084 (EDF clipping date convention).
        if (DateTime.TryParseExact(date + " " + time, "dd.MM.yy HH.mm.ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            var year = parsed.Year % 100;
            return new DateTime(year >= 85 ? 1900 + year : 2000 + year, parsed.Month, parsed.Day, parsed.Hour, parsed.Minute, parsed.Second, DateTimeKind.Unspecified);
        }

        throw new FormatException($"EDF start date/time '{date} {time}' is not dd.mm.yy hh.mm.ss.");
    }

    private static int ParseInt(string text, string field) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"EDF header field '{field}' is '{text}', not an integer.");

    private static long ParseLong(string text, string field) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"EDF header field '{field}' is '{text}', not an integer.");

    private static double ParseDouble(string text, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"EDF header field '{field}' is '{text}', not a number.");
}

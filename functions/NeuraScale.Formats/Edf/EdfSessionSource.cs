using System.Globalization;
using System.Text;
using NeuraScale.Domain;

namespace NeuraScale.Formats.Edf;

/// <summary>
/// An EDF, EDF+, BDF or BDF+ file checked and described as a session: its channels (10-20 names, MNE channel types,
/// voltages in µV), sampling rate, its own start time, its annotations as event markers, and its samples as the
/// one-second chunks the store keeps. Used by every import path (the <c>import_recording</c> tool, the relay's
/// <c>import</c> command) and by EDF replay, so a file means the same wherever it enters.
/// </summary>
/// <remarks>
/// The header's patient and recording identification fields (names, birth dates, hospital codes in EDF+) are never
/// read into the session: the caller names the patient by pseudonym. EDF carries no time zone; the start time is the
/// file's clock, stored as written (labelled UTC).
/// </remarks>
public sealed class EdfSessionSource : IDisposable
{
    private readonly EdfReader _reader;
    private readonly int[] _signals;
    private readonly double[] _scale;
    private readonly int _samplesPerRecord;

    private EdfSessionSource(EdfReader reader, int[] signals, double[] scale, IReadOnlyList<ChannelInfo> channels, double fs, DateTimeOffset start, IReadOnlyList<EventMarker> events, IReadOnlyList<string> notes)
    {
        _reader = reader;
        _signals = signals;
        _scale = scale;
        _samplesPerRecord = reader.Header.Signals[signals[0]].SamplesPerRecord;
        Channels = channels;
        SamplingRateHz = fs;
        StartTime = start;
        Events = events;
        Notes = notes;
        SampleCount = reader.Header.RecordCount * _samplesPerRecord;
    }

    /// <summary>"EDF", "EDF+", "BDF" or "BDF+".</summary>
    public string Format => (_reader.Header.IsBdf ? "BDF" : "EDF") + (_reader.Header.IsEdfPlus ? "+" : "");

    public EdfHeader Header => _reader.Header;

    public IReadOnlyList<ChannelInfo> Channels { get; }

    public double SamplingRateHz { get; }

    /// <summary>When the first sample was recorded, by the file's clock.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>Samples per channel.</summary>
    public long SampleCount { get; }

    public double DurationSeconds => SampleCount / SamplingRateHz;

    /// <summary>The file's annotations inside the recording, as markers at their sample.</summary>
    public IReadOnlyList<EventMarker> Events { get; }

    /// <summary>What was changed or left out on the way in (unit conversions, skipped signals or annotations), in words.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>EEG unless every signal is ECG, or every one EMG.</summary>
    public Modality Modality
    {
        get
        {
            var physiological = Channels.Where(c => c.Type is not (ChannelType.Stim or ChannelType.Misc)).ToArray();
            return physiological.Length > 0 && physiological.All(c => c.Type == ChannelType.ECG) ? Modality.ECG
                : physiological.Length > 0 && physiological.All(c => c.Type == ChannelType.EMG) ? Modality.EMG
                : Modality.EEG;
        }
    }

    /// <summary>
    /// Opens and checks a file (the stream, which must be seekable, is then owned by the source). Everything that
    /// would make the import wrong is found here, before anything is stored: a header field that is not what EDF
    /// requires, a file shorter than its header declares, samples outside their digital range, EDF+ records out of
    /// place, a discontinuous (EDF+D) recording, or signals with no common whole-Hz rate.
    /// </summary>
    /// <exception cref="InvalidRequestException">The file cannot be imported; the message says what is wrong with it.</exception>
    public static EdfSessionSource Open(Stream stream)
    {
        EdfReader reader;
        try
        {
            reader = EdfReader.Open(stream);
        }
        catch (FormatException ex)
        {
            stream.Dispose();
            throw new InvalidRequestException("Not a readable EDF/BDF file: " + ex.Message);
        }

        try
        {
            return Describe(reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public static EdfSessionSource Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));

    /// <summary>
    /// The samples as one-second chunks of <paramref name="sessionId"/> (the last may be shorter), each with the
    /// markers that fall inside it. Reads the file once, a second's records at a time.
    /// </summary>
    public IEnumerable<SignalChunk> Chunks(SessionId sessionId)
    {
        var chunkSamples = (int)SamplingRateHz;
        var channels = _signals.Length;
        for (long sequence = 0, first = 0; first < SampleCount; sequence++, first += chunkSamples)
        {
            var count = (int)Math.Min(chunkSamples, SampleCount - first);
            var samples = new float[channels * count];
            var firstRecord = first / _samplesPerRecord;
            var lastRecord = (first + count - 1) / _samplesPerRecord;
            var offset = (int)(first - (firstRecord * _samplesPerRecord));
            for (var c = 0; c < channels; c++)
            {
                var values = _reader.ReadPhysical(_signals[c], firstRecord, (int)(lastRecord - firstRecord + 1));
                for (var i = 0; i < count; i++)
                {
                    samples[(c * count) + i] = (float)(values[offset + i] * _scale[c]);
                }
            }

            var events = Events.Where(e => e.Sample >= first && e.Sample < first + count).ToArray();
            yield return new SignalChunk(sessionId, sequence, first, SamplingRateHz, channels, samples, events);
        }
    }

    /// <summary>Physical values (in the session's units) of one channel over whole data records.</summary>
    public double[] ReadChannel(int channel, long firstRecord, int records)
    {
        var values = _reader.ReadPhysical(_signals[channel], firstRecord, records);
        if (_scale[channel] != 1)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] *= _scale[channel];
            }
        }

        return values;
    }

    /// <summary>Samples per channel in one data record.</summary>
    public int SamplesPerRecord => _samplesPerRecord;

    public void Dispose() => _reader.Dispose();

    private static EdfSessionSource Describe(EdfReader reader)
    {
        var header = reader.Header;
        var format = header.IsBdf ? "BDF" : "EDF";
        if (header.Reserved.StartsWith(format + "+D", StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"This is a discontinuous {format}+D recording (it has gaps between records); only continuous recordings can be imported. Export its continuous segments as {format}+C (e.g. with EDFbrowser or MNE-Python) and import those.");
        }

        if (header.RecordDurationSeconds <= 0)
        {
            throw new InvalidRequestException($"The header's 'duration of a data record' is {header.RecordDurationSeconds.ToString(CultureInfo.InvariantCulture)} s; it must be positive.");
        }

        if (header.RecordCount == 0)
        {
            throw new InvalidRequestException($"The file holds no complete data record (the header declares {header.DeclaredRecordCount}); there is nothing to import.");
        }

        if (reader.CheckIntegrity().Problem is { } damage)
        {
            throw new InvalidRequestException(damage);
        }

        var notes = new List<string>();
        var ordinary = Enumerable.Range(0, header.Signals.Count).Where(i => !header.Signals[i].IsAnnotation && header.Signals[i].SamplesPerRecord > 0).ToArray();
        if (ordinary.Length == 0)
        {
            throw new InvalidRequestException("The file has no signals with samples (only annotations); there is nothing to import.");
        }

        // Sessions have one rate. The rate most signals share is kept (ties: the higher); signals at other rates — a
        // polysomnogram's 1 Hz oximetry beside 256 Hz EEG — are left out and named, never resampled behind the user's back.
        var byRate = ordinary.GroupBy(i => header.Signals[i].SamplesPerRecord).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).ToArray();
        var signals = byRate[0].ToArray();
        var fs = byRate[0].Key / header.RecordDurationSeconds;
        if (Math.Abs(fs - Math.Round(fs)) > 1e-9 || fs < SessionRules.MinSamplingRateHz || fs > SessionRules.MaxSamplingRateHz)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"The signals sample at {fs:0.######} Hz ({byRate[0].Key} samples per {header.RecordDurationSeconds} s record); sessions need a whole number of Hz from {SessionRules.MinSamplingRateHz} to {SessionRules.MaxSamplingRateHz}. Resample the file (e.g. MNE-Python raw.resample) and import the result."));
        }

        fs = Math.Round(fs);
        foreach (var other in byRate.Skip(1))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Left out {other.Count()} signal(s) sampled at {other.Key / header.RecordDurationSeconds:0.###} Hz rather than {fs:0} Hz: {string.Join(", ", other.Select(i => header.Signals[i].Label))}. A session has one rate; resample them to import them too."));
        }

        var channels = new ChannelInfo[signals.Length];
        var scale = new double[signals.Length];
        var converted = new List<string>();
        for (var c = 0; c < signals.Length; c++)
        {
            var s = header.Signals[signals[c]];
            var (unit, factor) = Unit(s.PhysicalDimension);
            scale[c] = factor;
            if (factor != 1)
            {
                converted.Add($"{s.Label} ({s.PhysicalDimension})");
            }

            channels[c] = new ChannelInfo(ElectrodeNames.Normalize(s.Label), TypeOf(s, unit), unit);
        }

        if (converted.Count > 0)
        {
            notes.Add($"Converted to µV: {string.Join(", ", converted)}.");
        }

        try
        {
            SessionRules.ValidateLayout(channels, fs);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidRequestException("The file's signals cannot form a session: " + ex.Message.Split(" (Parameter", 2)[0]);
        }

        // EDF+ onsets count from the header's start time; the first record's own onset (its time-keeping annotation)
        // says when its first sample was taken, which may be a fraction of a second later.
        var annotations = reader.ReadAnnotations();
        var firstOnset = header.IsEdfPlus ? FirstRecordOnset(reader) : 0;
        var start = new DateTimeOffset(StartDate(header), TimeSpan.Zero).AddSeconds(firstOnset);
        var total = header.RecordCount * header.Signals[signals[0]].SamplesPerRecord;
        var events = new List<EventMarker>();
        var outside = 0;
        var shortened = 0;
        foreach (var a in annotations)
        {
            var sample = (long)Math.Round((a.OnsetSeconds - firstOnset) * fs);
            if (sample < 0 || sample >= total)
            {
                outside++;
                continue;
            }

            var label = Label(a.Text);
            shortened += label.Length < a.Text.Trim().Length ? 1 : 0;
            events.Add(new EventMarker(sample, (int)Math.Min(int.MaxValue, Math.Round(a.DurationSeconds * fs)), label));
        }

        if (outside > 0)
        {
            notes.Add($"Left out {outside} annotation(s) whose onset lies outside the recorded samples.");
        }

        if (shortened > 0)
        {
            notes.Add($"Shortened {shortened} annotation text(s) to the {EventMarker.MaxLabelBytes}-byte label limit.");
        }

        return new EdfSessionSource(reader, signals, scale, channels, fs, start, events, notes);
    }

    /// <summary>The session unit and factor for an EDF physical dimension: voltages become µV; anything else is kept.</summary>
    private static (string Unit, double Factor) Unit(string dimension) => dimension.Trim() switch
    {
        "uV" or "µV" or "UV" or "microV" => ("uV", 1),
        "mV" => ("uV", 1e3),
        "V" => ("uV", 1e6),
        "nV" => ("uV", 1e-3),
        "" => ("", 1),
        var other => (other, 1),
    };

    /// <summary>
    /// The MNE channel type, from the EDF+ label conventions ("EEG Fp1-Ref", "ECG II", "EOG left", "EMG chin"), BioSemi's
    /// "Status" trigger channel, and the unit: a signal not measured in volts is not a potential (misc).
    /// </summary>
    private static ChannelType TypeOf(EdfSignal signal, string unit)
    {
        var label = signal.Label.ToUpperInvariant();
        bool Has(string word) => label.Contains(word, StringComparison.Ordinal);
        if (label is "STATUS" or "TRIGGER" || label.StartsWith("STI", StringComparison.Ordinal) || Has("EVENT"))
        {
            return ChannelType.Stim;
        }

        return Has("ECG") || Has("EKG") ? ChannelType.ECG
            : Has("EOG") ? ChannelType.EOG
            : Has("EMG") ? ChannelType.EMG
            : unit == "uV" || unit.Length == 0 ? ChannelType.EEG
            : ChannelType.Misc;
    }

    /// <summary>
    /// The header's start date and time; EDF+ also writes the date with a four-digit year in the recording field
    /// ("Startdate 12-AUG-2009 …"), which wins (the header's two-digit year cannot say 2085 or later).
    /// </summary>
    private static DateTime StartDate(EdfHeader header)
    {
        var parts = header.RecordingIdentification.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (header.IsEdfPlus && parts.Length > 1 && parts[0] == "Startdate"
            && DateTime.TryParseExact(parts[1], "dd-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.Date + header.StartTime.TimeOfDay;
        }

        return header.StartTime;
    }

    private static double FirstRecordOnset(EdfReader reader)
    {
        var annotation = reader.Header.Signals.ToList().FindIndex(s => s.IsAnnotation);
        if (annotation < 0)
        {
            return 0;
        }

        var bytes = reader.ReadSignalRecord(annotation, 0);
        var end = bytes.AsSpan().IndexOf((byte)0x14);
        return end > 0 && double.TryParse(Encoding.ASCII.GetString(bytes, 0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out var onset) ? onset : 0;
    }

    private static string Label(string text)
    {
        var label = text.Trim();
        while (Encoding.UTF8.GetByteCount(label) > EventMarker.MaxLabelBytes)
        {
            label = label[..^1];
        }

        return label;
    }
}

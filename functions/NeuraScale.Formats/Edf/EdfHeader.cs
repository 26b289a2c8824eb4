namespace NeuraScale.Formats.Edf;

/// <summary>One signal's header fields (EDF specification, section 2).</summary>
public sealed record EdfSignal(
    string Label,
    string Transducer,
    string PhysicalDimension,
    double PhysicalMinimum,
    double PhysicalMaximum,
    int DigitalMinimum,
    int DigitalMaximum,
    string Prefiltering,
    int SamplesPerRecord)
{
    /// <summary>The EDF+/BDF+ annotation signal ("EDF Annotations", "BDF Annotations"), which carries TALs instead of samples.</summary>
    public bool IsAnnotation => Label is "EDF Annotations" or "BDF Annotations";

    /// <summary>Physical units per digital step.</summary>
    public double Gain => (PhysicalMaximum - PhysicalMinimum) / (DigitalMaximum - DigitalMinimum);

    /// <summary>Physical value of a digital sample: (d − dmin)·gain + pmin.</summary>
    public double ToPhysical(int digital) => ((digital - DigitalMinimum) * Gain) + PhysicalMinimum;
}

/// <summary>The fixed header and the signal headers of an EDF, EDF+, BDF or BDF+ file.</summary>
/// <param name="RecordCount">Complete data records the file holds (never more than the header declares).</param>
/// <param name="DeclaredRecordCount">Data records the header declares; −1 when it says "unknown" (a recording in progress).</param>
/// <param name="BytesPerSample">2 for EDF (16-bit samples), 3 for BDF (24-bit, BioSemi).</param>
public sealed record EdfHeader(
    string PatientIdentification,
    string RecordingIdentification,
    DateTime StartTime,
    int HeaderBytes,
    string Reserved,
    long RecordCount,
    double RecordDurationSeconds,
    IReadOnlyList<EdfSignal> Signals,
    long DeclaredRecordCount = -1,
    int BytesPerSample = 2)
{
    /// <summary>EDF+/BDF+ files say so in the reserved field ("EDF+C"/"BDF+C" continuous, "EDF+D"/"BDF+D" discontinuous).</summary>
    public bool IsEdfPlus => Reserved.StartsWith("EDF+", StringComparison.Ordinal) || Reserved.StartsWith("BDF+", StringComparison.Ordinal);

    /// <summary>A continuous EDF+/BDF+ file: record r starts at the first record's onset + r × the record duration.</summary>
    public bool IsContinuousPlus => Reserved.StartsWith("EDF+C", StringComparison.Ordinal) || Reserved.StartsWith("BDF+C", StringComparison.Ordinal);

    /// <summary>A BDF file (24-bit samples).</summary>
    public bool IsBdf => BytesPerSample == 3;

    /// <summary>Bytes in one data record: two (EDF) or three (BDF) per sample of every signal.</summary>
    public int RecordBytes => Signals.Sum(s => s.SamplesPerRecord) * BytesPerSample;
}

/// <summary>An EDF+ annotation: onset and duration in seconds from the start of the file, and its text.</summary>
public sealed record EdfAnnotation(double OnsetSeconds, double DurationSeconds, string Text);

/// <summary>What <see cref="EdfReader.CheckIntegrity"/> found: nothing when the file is intact.</summary>
/// <param name="Records">Data records read.</param>
/// <param name="SamplesOutsideDigitalRange">Samples below the digital minimum or above the maximum of their signal.</param>
/// <param name="FirstOutsideDigitalRange">Where the first such sample is, in words.</param>
/// <param name="MisplacedRecords">EDF+ records whose time-keeping annotation does not give their own onset.</param>
/// <param name="MissingRecords">Records the header declares but the file does not hold completely (a truncated file).</param>
/// <param name="TrailingBytes">Bytes after the last complete record: a record cut short.</param>
public sealed record EdfIntegrity(long Records, long SamplesOutsideDigitalRange, string? FirstOutsideDigitalRange, IReadOnlyList<long> MisplacedRecords, long MissingRecords = 0, long TrailingBytes = 0)
{
    public bool Intact => SamplesOutsideDigitalRange == 0 && MisplacedRecords.Count == 0 && MissingRecords == 0 && TrailingBytes == 0;

    /// <summary>What is wrong, in words for the person who has the file; null when intact.</summary>
    public string? Problem => Intact ? null : string.Join(" ", new[]
    {
        SamplesOutsideDigitalRange == 0 ? null : $"{SamplesOutsideDigitalRange:N0} sample(s) lie outside their signal's digital range (first: {FirstOutsideDigitalRange}).",
        MisplacedRecords.Count == 0 ? null : $"{MisplacedRecords.Count} of {Records} record(s) do not start at their own onset (first: record {MisplacedRecords[0]}).",
        MissingRecords == 0 ? null : $"The header declares {Records + MissingRecords} data record(s) but the file holds only {Records} complete one(s).",
        TrailingBytes == 0 ? null : $"{TrailingBytes:N0} byte(s) after the last complete record are not a whole record.",
        "The file is damaged (a byte shift, e.g. from line-ending conversion, or truncation); use an intact copy.",
    }.OfType<string>());
}

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
    /// <summary>The EDF+ annotation signal ("EDF Annotations"), which carries TALs instead of samples.</summary>
    public bool IsAnnotation => Label == "EDF Annotations";

    /// <summary>Physical units per digital step.</summary>
    public double Gain => (PhysicalMaximum - PhysicalMinimum) / (DigitalMaximum - DigitalMinimum);

    /// <summary>Physical value of a digital sample: (d − dmin)·gain + pmin.</summary>
    public double ToPhysical(short digital) => ((digital - DigitalMinimum) * Gain) + PhysicalMinimum;
}

/// <summary>The fixed header and the signal headers of an EDF or EDF+ file.</summary>
public sealed record EdfHeader(
    string PatientIdentification,
    string RecordingIdentification,
    DateTime StartTime,
    int HeaderBytes,
    string Reserved,
    long RecordCount,
    double RecordDurationSeconds,
    IReadOnlyList<EdfSignal> Signals)
{
    /// <summary>EDF+ files say so in the reserved field ("EDF+C" continuous, "EDF+D" discontinuous).</summary>
    public bool IsEdfPlus => Reserved.StartsWith("EDF+", StringComparison.Ordinal);

    /// <summary>Bytes in one data record: two per sample of every signal.</summary>
    public int RecordBytes => Signals.Sum(s => s.SamplesPerRecord) * 2;
}

/// <summary>An EDF+ annotation: onset and duration in seconds from the start of the file, and its text.</summary>
public sealed record EdfAnnotation(double OnsetSeconds, double DurationSeconds, string Text);

/// <summary>What <see cref="EdfReader.CheckIntegrity"/> found: nothing when the file is intact.</summary>
/// <param name="Records">Data records read.</param>
/// <param name="SamplesOutsideDigitalRange">Samples below the digital minimum or above the maximum of their signal.</param>
/// <param name="FirstOutsideDigitalRange">Where the first such sample is, in words.</param>
/// <param name="MisplacedRecords">EDF+ records whose time-keeping annotation does not give their own onset.</param>
public sealed record EdfIntegrity(long Records, long SamplesOutsideDigitalRange, string? FirstOutsideDigitalRange, IReadOnlyList<long> MisplacedRecords)
{
    public bool Intact => SamplesOutsideDigitalRange == 0 && MisplacedRecords.Count == 0;

    /// <summary>What is wrong, in words for the person who has the file; null when intact.</summary>
    public string? Problem => Intact ? null : string.Join(" ", new[]
    {
        SamplesOutsideDigitalRange == 0 ? null : $"{SamplesOutsideDigitalRange:N0} sample(s) lie outside their signal's digital range (first: {FirstOutsideDigitalRange}).",
        MisplacedRecords.Count == 0 ? null : $"{MisplacedRecords.Count} of {Records} record(s) do not start at their own onset (first: record {MisplacedRecords[0]}).",
        "The file is damaged (a byte shift, e.g. from line-ending conversion, or truncation); use an intact copy.",
    }.OfType<string>());
}

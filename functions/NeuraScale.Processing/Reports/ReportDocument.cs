using NeuraScale.Domain;
using NeuraScale.Processing.Analysis;
using NeuraScale.Processing.Clinical.Runs;

namespace NeuraScale.Processing.Reports;

/// <summary>Everything a report states, computed before a page is drawn: the PDF and the text preview both render this.</summary>
/// <param name="ReportId">The job id, printed on every page.</param>
/// <param name="Findings">Statements computed from the numbers above them (machine-generated, pending review).</param>
public sealed record ReportDocument(
    string ReportId,
    string Type,
    string Title,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<string> Sections,
    ReportPatient Patient,
    IReadOnlyList<SessionSection> Sessions,
    ReactivitySection? Reactivity,
    IReadOnlyList<string> Findings,
    ProtocolRunResult? Run,
    string RequestedBy);

/// <summary>Whom the report is about: the pseudonym always, the identity only for a caller with phi.read.</summary>
public sealed record ReportPatient(string Pseudonym, PatientIdentity? Identity);

/// <summary>One recording: its details, quality, segments by state, and the spectrum of its reference stretch.</summary>
/// <param name="Montage">The electrode system and reference, in words.</param>
/// <param name="Spectrum">Spectra of the stretch the results show (eyes closed when there is one); null for non-EEG.</param>
/// <param name="Erp">Averages of the markers that repeat (stimuli), through run_analysis erp; null when none repeats.</param>
public sealed record SessionSection(
    RecordingSession Session,
    string Montage,
    QualitySummary Quality,
    IReadOnlyList<ConditionSegment> Segments,
    SpectralWindow? Spectrum,
    IReadOnlyList<EventMarker> Markers,
    ErpWindow? Erp = null);

/// <summary>run_analysis erp (its defaults) over a stretch, for the repeated marker labels, with one figure per label.</summary>
public sealed record ErpWindow(double StartSeconds, double EndSeconds, ErpResult Result, IReadOnlyList<byte[]> Figures);

/// <summary>Signal quality of a whole recording, assessed minute by minute (the relay's check, on the stored samples).</summary>
/// <param name="Score">0–100, duration-weighted over the minutes.</param>
/// <param name="WorstMinuteScore">The lowest minute's score, and when it began (s).</param>
public sealed record QualitySummary(
    int Score,
    string Rating,
    double SecondsAssessed,
    int Minutes,
    int WorstMinuteScore,
    double WorstMinuteStartSeconds,
    IReadOnlyList<ChannelQualitySummary> Channels,
    int Blinks,
    int MuscleBursts,
    int Pops,
    double? MainsHz);

/// <summary>One channel over the whole recording.</summary>
public sealed record ChannelQualitySummary(string Channel, int Score, string Rating, double SnrDb, double LineNoiseRmsUv, bool Flat, bool Railed, int Pops, int MuscleBursts);

/// <summary>run_analysis (spectral, defaults) over one stretch, as the results show it.</summary>
/// <param name="Label">What the stretch is, e.g. "eyes closed".</param>
public sealed record SpectralWindow(string Label, double StartSeconds, double EndSeconds, SpectralResult Result, IReadOnlyList<DataQualityNote> Notes, byte[] Figure);

/// <summary>Alpha power with eyes closed against eyes open, per channel, pooled over the stretches of each state.</summary>
/// <param name="PosteriorChannels">The parietal/occipital channels present, where the posterior dominant rhythm lives.</param>
/// <param name="PosteriorRatio">Eyes-closed over eyes-open alpha power summed over the posterior channels.</param>
public sealed record ReactivitySection(
    double BandLowHz,
    double BandHighHz,
    IReadOnlyList<ConditionSegment> EyesClosed,
    IReadOnlyList<ConditionSegment> EyesOpen,
    IReadOnlyList<ChannelReactivity> Channels,
    IReadOnlyList<string> PosteriorChannels,
    double PosteriorRatio,
    byte[] Figure)
{
    public double EyesClosedSeconds => EyesClosed.Sum(s => s.DurationSeconds);

    public double EyesOpenSeconds => EyesOpen.Sum(s => s.DurationSeconds);

    /// <summary>How much posterior alpha falls on eye opening, % (negative: it rises).</summary>
    public double PosteriorAttenuationPercent => (Math.Round(100 * (1 - (1 / PosteriorRatio)), 1) + 0.0); // + 0.0: never "-0 %"
}

/// <param name="Ratio">Eyes-closed over eyes-open alpha power.</param>
public sealed record ChannelReactivity(string Channel, double EyesClosedAlphaUv2, double EyesOpenAlphaUv2, double Ratio);

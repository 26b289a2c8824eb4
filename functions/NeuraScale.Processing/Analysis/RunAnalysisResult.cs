using System.ComponentModel;

namespace NeuraScale.Processing.Analysis;

[Description("Result of run_analysis: what was analysed, and the section for the analysis type that ran (the others are null). A PNG figure is attached as image content.")]
public sealed record RunAnalysisResult(
    [property: Description("spectral, erp, time_frequency, connectivity or source_localization.")] string AnalysisType,
    [property: Description("The session analysed.")] string SessionId,
    [property: Description("Channels analysed, in result order.")] IReadOnlyList<string> Channels,
    [property: Description("Sampling rate, Hz.")] double SamplingRateHz,
    [property: Description("Analysed window start, seconds from the start of the recording.")] double StartTimeS,
    [property: Description("Analysed window end (exclusive), seconds.")] double EndTimeS,
    [property: Description("Spectral results (analysis_type spectral).")] SpectralResult? Spectral,
    [property: Description("Event-related potentials (analysis_type erp).")] ErpResult? Erp,
    [property: Description("Time-frequency power (analysis_type time_frequency).")] TimeFrequencyResult? TimeFrequency,
    [property: Description("Connectivity matrices (analysis_type connectivity).")] ConnectivityResult? Connectivity,
    [property: Description("Source estimate (analysis_type source_localization).")] SourceLocalizationResult? SourceLocalization,
    [property: Description("What the attached figure(s) show.")] string Figure,
    [property: Description("What limits the result: flat, clipped or implausible channels, too few epochs, a low signal-to-noise ratio… Empty when nothing was found.")] IReadOnlyList<DataQualityNote> DataQuality);

/// <summary>The result section of the analysis that ran; the others stay null.</summary>
public sealed record AnalysisSections
{
    public SpectralResult? Spectral { get; init; }

    public ErpResult? Erp { get; init; }

    public TimeFrequencyResult? TimeFrequency { get; init; }

    public ConnectivityResult? Connectivity { get; init; }

    public SourceLocalizationResult? SourceLocalization { get; init; }
}

/// <summary>What one analysis handler produced: its result section, a clinician-readable summary, the figures, and what limits the result.</summary>
public sealed record AnalysisOutcome(AnalysisSections Sections, string Summary, IReadOnlyList<byte[]> Figures, string Figure)
{
    /// <summary>Notes the analysis itself found (e.g. too few epochs), besides the checks of the samples every analysis gets.</summary>
    public IReadOnlyList<DataQualityNote> Notes { get; init; } = [];
}

/// <summary>A run_analysis answer: the structured result, the summary and the PNG figures.</summary>
public sealed record AnalysisReport(RunAnalysisResult Result, string Summary, IReadOnlyList<byte[]> Figures);

using System.ComponentModel;
using NeuraScale.Domain;

namespace NeuraScale.Processing.Filtering;

[Description("A filtered copy of (part of) a recording, stored as a derived recording that every tool taking a session id accepts.")]
public sealed record ApplyFilterResult(
    [property: Description("Id of the filtered recording (ses_…): pass it as session_id to get_neural_data, run_analysis or apply_filter.")] string FilteredDataId,
    [property: Description("The session that was filtered.")] string SourceSessionId,
    [property: Description("The filter in words, e.g. order-4 Butterworth band-pass 1–40 Hz, zero-phase (forward-backward).")] string Filter,
    [property: Description("The same computation in SciPy, to reproduce it.")] string ScipyEquivalent,
    [property: Description("Channel names of the filtered recording, in order.")] IReadOnlyList<string> Channels,
    [property: Description("Sampling rate, Hz (unchanged by filtering).")] double SamplingRateHz,
    [property: Description("Window start in the source, seconds from its start.")] double SourceStartTimeS,
    [property: Description("Window end (exclusive) in the source, seconds from its start.")] double SourceEndTimeS,
    [property: Description("Duration of the filtered recording, seconds.")] double DurationS,
    [property: Description("Samples per channel.")] long NSamples,
    [property: Description("Event markers carried over from the source window (onsets relative to the filtered recording's start).")] int EventCount,
    [property: Description("True when an identical earlier request had produced this recording already; nothing was recomputed.")] bool Reused,
    [property: Description("Where the recording came from and every processing step since the original.")] LineageDescriptor Lineage,
    [property: Description("The filter's magnitude response as applied (squared for zero-phase) at its key frequencies: edges or notch frequencies and points either side. 0 dB passes, −3 dB is half power, −40 dB and below is removed.")] IReadOnlyList<FrequencyResponsePoint> ResponseDb);

[Description("The filter's gain at one frequency.")]
public sealed record FrequencyResponsePoint(
    [property: Description("Frequency, Hz.")] double FrequencyHz,
    [property: Description("Gain, dB (20·log10 of the magnitude; negative is attenuation).")] double GainDb);

[Description("Lineage of a derived recording.")]
public sealed record LineageDescriptor(
    [property: Description("The original, as-recorded session.")] string RootSessionId,
    [property: Description("Processing steps, oldest first.")] IReadOnlyList<ProcessingStepDescriptor> Steps)
{
    public static LineageDescriptor From(RecordingLineage lineage) => new(
        lineage.RootSessionId.Value,
        lineage.Steps.Select(s => new ProcessingStepDescriptor(s.Operation, s.Parameters, s.Equivalent, s.Software, s.CreatedAt)).ToArray());
}

[Description("One processing step.")]
public sealed record ProcessingStepDescriptor(
    [property: Description("Operation, e.g. butterworth_bandpass or notch.")] string Operation,
    [property: Description("Parameters as given (frequencies in Hz).")] IReadOnlyDictionary<string, string> Parameters,
    [property: Description("Equivalent call in a reference library.")] string Equivalent,
    [property: Description("Software and version that ran it.")] string Software,
    [property: Description("When it ran, ISO 8601 UTC.")] DateTimeOffset CreatedAt);

using NeuraScale.Domain;
using NeuraScale.Signals.Filters;

namespace NeuraScale.Processing.Filtering;

/// <summary>What to filter: a window of some channels of a stored recording, and the filter.</summary>
/// <param name="Source">The recording to read.</param>
/// <param name="Filter">The filter to apply.</param>
/// <param name="Channels">Source channel indices, in output order.</param>
/// <param name="FirstSample">First source sample of the window.</param>
/// <param name="SampleCount">Samples per channel in the window.</param>
public sealed record FilterJob(RecordingSession Source, FilterSpecification Filter, IReadOnlyList<int> Channels, long FirstSample, long SampleCount)
{
    /// <summary>Names the computation completely; equal jobs give the same derived recording id.</summary>
    public string Recipe =>
        $"filter/v1|{Source.Id}|{Filter.Recipe}|channels={string.Join(',', Channels)}|samples={FirstSample}+{SampleCount}";
}

/// <summary>The derived recording a filter job produced, whether an identical earlier job had produced it already, and the sections designed for it.</summary>
public sealed record FilteredRecording(RecordingSession Session, bool Reused, SecondOrderSections Sections);

using NeuraScale.Domain;

namespace NeuraScale.Processing.Analysis;

/// <summary>
/// The samples an analysis works on: a window of some channels of a recording, in µV, with the markers inside it.
/// </summary>
/// <param name="SessionId">The session read.</param>
/// <param name="Channels">The channels, in <paramref name="Data"/> order.</param>
/// <param name="Data">Samples, <c>Data[channel][sample]</c>, µV.</param>
/// <param name="SamplingRateHz">Sampling rate, Hz.</param>
/// <param name="StartTimeS">Time of <c>Data[c][0]</c>, seconds from the start of the recording.</param>
/// <param name="Events">Markers in the window; <see cref="EventMarker.Sample"/> counts from <c>Data[c][0]</c>.</param>
public sealed record AnalysisInput(
    SessionId SessionId,
    IReadOnlyList<ChannelInfo> Channels,
    double[][] Data,
    double SamplingRateHz,
    double StartTimeS,
    IReadOnlyList<EventMarker> Events)
{
    public int SampleCount => Data.Length == 0 ? 0 : Data[0].Length;

    public IReadOnlyList<string> ChannelNames => Channels.Select(c => c.Name).ToArray();
}

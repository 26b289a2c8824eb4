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
/// <param name="Description">The session's description (task, protocol; no PHI), named in figure titles.</param>
public sealed record AnalysisInput(
    SessionId SessionId,
    IReadOnlyList<ChannelInfo> Channels,
    double[][] Data,
    double SamplingRateHz,
    double StartTimeS,
    IReadOnlyList<EventMarker> Events,
    string? Description = null)
{
    /// <summary>How figures name the recording: its description and id, and the window analysed.</summary>
    public string Recording => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{(string.IsNullOrWhiteSpace(Description) ? "" : Description.Trim() + ", ")}{SessionId}, {StartTimeS:0.#}–{StartTimeS + (SampleCount / SamplingRateHz):0.#} s");

    public int SampleCount => Data.Length == 0 ? 0 : Data[0].Length;

    public IReadOnlyList<string> ChannelNames => Channels.Select(c => c.Name).ToArray();
}

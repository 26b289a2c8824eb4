using System.Globalization;
using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData;

/// <summary>The channels and sample window a signal tool works on, checked against the tool's per-call limit.</summary>
/// <param name="Channels">Session channel indices, in the order asked for.</param>
/// <param name="First">First sample.</param>
/// <param name="End">One past the last sample.</param>
public sealed record SignalSelection(int[] Channels, long First, long End)
{
    public long SampleCount => End - First;

    /// <summary>
    /// Resolves the channels, start_time and end_time arguments and refuses more than <paramref name="limit"/> values
    /// (channels × samples), saying what <paramref name="work"/> would have been done and how to ask for less.
    /// </summary>
    public static SignalSelection Resolve(RecordingSession session, IReadOnlyList<string>? channels, double? startTime, double? endTime, long limit, string work)
    {
        var selected = ChannelSelector.Resolve(channels, session.Channels);
        var (first, end) = SampleWindow.Resolve(startTime, endTime, session);
        var values = (end - first) * selected.Length;
        if (values > limit)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"This request would {work} {values:N0} values (channels × samples); one call may {work} up to {limit:N0}. Select fewer channels or a shorter window (start_time/end_time)."));
        }

        return new SignalSelection(selected, first, end);
    }
}

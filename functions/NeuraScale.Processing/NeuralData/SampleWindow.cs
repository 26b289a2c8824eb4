using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData;

/// <summary>The start_time/end_time arguments every signal tool takes, turned into samples.</summary>
public static class SampleWindow
{
    /// <summary>Converts the seconds a caller gave into a sample range [first, end), or explains what is allowed.</summary>
    public static (long First, long End) Resolve(double? startTime, double? endTime, RecordingSession session)
    {
        var fs = session.SamplingRateHz;
        var duration = session.DurationSeconds;
        if (session.SampleCount == 0)
        {
            throw new InvalidRequestException($"Session {session.Id} has no samples yet (status {session.Status.ToString().ToLowerInvariant()}); try again once recording has started.");
        }

        var start = startTime ?? 0;
        if (double.IsNaN(start) || start < 0 || start >= duration)
        {
            throw new InvalidRequestException($"start_time must be from 0 up to (not including) the recorded duration, {duration:0.###} s; got {start}.");
        }

        var stop = endTime ?? duration;
        if (double.IsNaN(stop) || stop <= start)
        {
            throw new InvalidRequestException($"end_time ({stop}) must be greater than start_time ({start}); both are seconds from the start of the recording (duration {duration:0.###} s).");
        }

        var first = (long)Math.Ceiling((start * fs) - 1e-9);
        var end = Math.Min(session.SampleCount, (long)Math.Ceiling((Math.Min(stop, duration) * fs) - 1e-9));
        return (first, Math.Max(end, first + 1));
    }
}

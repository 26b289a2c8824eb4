using NeuraScale.Domain;

namespace NeuraScale.Formats;

/// <summary>
/// One chunk of a session's signal: <see cref="SampleCount"/> consecutive samples of every channel,
/// starting at <see cref="FirstSample"/>, in physical units. Samples are channel-major:
/// <c>Samples[channel * SampleCount + i]</c>.
/// </summary>
public sealed class SignalChunk
{
    public SignalChunk(SessionId sessionId, long sequence, long firstSample, double samplingRateHz, int channelCount, float[] samples, IReadOnlyList<EventMarker> events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(events);
        if (samples.Length % channelCount != 0)
        {
            throw new ArgumentException($"Sample buffer length {samples.Length} is not a multiple of the channel count {channelCount}.", nameof(samples));
        }

        SessionId = sessionId;
        Sequence = sequence;
        FirstSample = firstSample;
        SamplingRateHz = samplingRateHz;
        ChannelCount = channelCount;
        Samples = samples;
        Events = events;
    }

    public SessionId SessionId { get; }

    /// <summary>0-based position of this chunk in the session.</summary>
    public long Sequence { get; }

    /// <summary>Index of the first sample (per channel) from the start of the session.</summary>
    public long FirstSample { get; }

    public double SamplingRateHz { get; }

    public int ChannelCount { get; }

    /// <summary>Samples per channel.</summary>
    public int SampleCount => Samples.Length / ChannelCount;

    /// <summary>Channel-major samples in physical units.</summary>
    public float[] Samples { get; }

    /// <summary>Event markers whose onset falls inside this chunk (absolute sample positions).</summary>
    public IReadOnlyList<EventMarker> Events { get; }

    /// <summary>The samples of one channel.</summary>
    public ReadOnlySpan<float> Channel(int index) => Samples.AsSpan(index * SampleCount, SampleCount);
}

using NeuraScale.Domain;

namespace NeuraScale.Amplifiers;

/// <summary>
/// A block of consecutive samples as an amplifier delivers it: channel-major float32 values in physical units,
/// <c>Samples[channel * SampleCount + i]</c>, plus the markers whose onset falls inside the block.
/// </summary>
public sealed record SampleBlock(long FirstSample, int ChannelCount, float[] Samples, IReadOnlyList<EventMarker> Events)
{
    public int SampleCount => Samples.Length / ChannelCount;
}

/// <summary>
/// A source of samples for the edge relay. Drivers deliver blocks in order from a requested sample index, so a
/// relay that restarts can ask for exactly the samples it has not yet spooled (a live amplifier keeps them in its
/// device buffer; a simulator or file replay regenerates them).
/// </summary>
public interface IAmplifierDriver
{
    /// <summary>What the device is: id, model, firmware, channel layout, sampling rate.</summary>
    Device Device { get; }

    /// <summary>Current battery level and electrode impedances.</summary>
    DeviceStatus ReadStatus();

    /// <summary>
    /// Streams blocks starting at <paramref name="fromSample"/> until <paramref name="untilSample"/> (exclusive) or
    /// cancellation. Blocks are contiguous and in order.
    /// </summary>
    IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, CancellationToken cancellationToken = default);
}

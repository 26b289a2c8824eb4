using NeuraScale.Amplifiers.Configuration;
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
/// An amplifier as the edge relay drives it — what BrainFlow's board shim offers (prepare/release session, config_board,
/// impedance, streaming), as one interface. Drivers deliver blocks in order from a requested sample index, so a relay
/// that restarts can ask for exactly the samples it has not yet spooled (a live amplifier keeps them in its device
/// buffer; a simulator or file replay regenerates them). Markers during a recording are the relay's (it timestamps
/// them against the samples it has received).
/// </summary>
public interface IAmplifierDriver
{
    /// <summary>What the device is with its current settings: id, model, firmware, enabled channels, sampling rate.</summary>
    Device Device { get; }

    /// <summary>The allowed value of every setting.</summary>
    AmplifierCapabilities Capabilities { get; }

    /// <summary>The settings in force.</summary>
    AmplifierSettings Settings { get; }

    /// <summary>Opens the link to the device (BrainFlow's prepare_session).</summary>
    void Connect();

    /// <summary>Closes the link (release_session).</summary>
    void Disconnect();

    /// <summary>Applies what the device accepts of <paramref name="request"/>; never while streaming (the caller sees to that).</summary>
    ConfigurationOutcome Configure(SettingsRequest request);

    /// <summary>Electrode impedance of each enabled channel, kΩ; null when the device cannot measure it.</summary>
    IReadOnlyList<double>? MeasureImpedance();

    /// <summary>Battery, temperature, uptime, dropped samples, clock drift.</summary>
    AmplifierDiagnostics ReadDiagnostics();

    /// <summary>
    /// Streams blocks starting at <paramref name="fromSample"/> until <paramref name="untilSample"/> (exclusive) or
    /// cancellation. Blocks are contiguous and in order.
    /// </summary>
    IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, CancellationToken cancellationToken = default);
}

namespace NeuraScale.Amplifiers.Configuration;

/// <summary>
/// How an amplifier is set up now. <paramref name="Gain"/> and <paramref name="InputRangeMicrovolts"/> are null for a
/// source without an analogue front end (file playback).
/// </summary>
/// <param name="SamplingRateHz">Samples per second per channel.</param>
/// <param name="Gain">Programmable gain of the front end.</param>
/// <param name="Channels">Enabled channels, in the device's order.</param>
/// <param name="Reference">What every channel is measured against.</param>
/// <param name="LineFrequencyHz">Mains frequency the device (and its quality checks) assume: 50 or 60 Hz.</param>
/// <param name="InputRangeMicrovolts">Largest magnitude the converter can represent at this gain; a channel held there is railed.</param>
public sealed record AmplifierSettings(
    double SamplingRateHz,
    int? Gain,
    IReadOnlyList<string> Channels,
    string Reference,
    double LineFrequencyHz,
    double? InputRangeMicrovolts);

/// <summary>What an amplifier can be set to: the allowed values of each setting.</summary>
public sealed record AmplifierCapabilities(
    IReadOnlyList<double> SamplingRatesHz,
    IReadOnlyList<int> Gains,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> References,
    IReadOnlyList<double> LineFrequenciesHz);

/// <summary>A point-in-time reading of an amplifier's health; null where the device cannot tell.</summary>
/// <param name="BatteryPercent">Charge, 0–100 %.</param>
/// <param name="TemperatureCelsius">Temperature of the front end.</param>
/// <param name="Uptime">Time since the device was switched on.</param>
/// <param name="DroppedSamples">Samples lost between device and relay (and filled by holding the previous value) since it was switched on.</param>
/// <param name="ClockDriftPpm">How fast the device's sample clock runs against the relay's, parts per million (positive: fast).</param>
/// <param name="ClockOffsetMilliseconds">What that drift has accumulated to since the device was connected.</param>
public sealed record AmplifierDiagnostics(
    double? BatteryPercent,
    double? TemperatureCelsius,
    TimeSpan Uptime,
    long DroppedSamples,
    double? ClockDriftPpm,
    double? ClockOffsetMilliseconds);

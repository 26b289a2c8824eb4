namespace NeuraScale.Signals.Quality;

/// <summary>What <see cref="SignalQuality.Assess"/> found in a stretch of signal.</summary>
/// <param name="DurationSeconds">Length of the stretch.</param>
/// <param name="LineFrequencyHz">Mains frequency the line-noise figures are measured at: the detected one, else the configured one.</param>
/// <param name="DetectedMainsHz">Mains frequency whose peak stands out (median prominence over channels ≥ 6 dB), or null.</param>
/// <param name="MainsProminenceDb">Median prominence of the 50 Hz and 60 Hz peaks over their neighbourhood, dB (NaN above Nyquist).</param>
/// <param name="Channels">Per channel, in input order.</param>
/// <param name="Blinks">Blinks seen on the frontal channels; null when there are none to look at.</param>
/// <param name="MuscleBursts">Muscle bursts (overlapping bursts on several channels count once).</param>
/// <param name="Pops">Electrode pops over all channels.</param>
/// <param name="DroppedSamples">Samples the device reported lost in the stretch.</param>
/// <param name="Score">0–100: the mean channel score, less up to 20 for dropped samples.</param>
public sealed record SignalQualityReport(
    double DurationSeconds,
    double LineFrequencyHz,
    double? DetectedMainsHz,
    IReadOnlyDictionary<double, double> MainsProminenceDb,
    IReadOnlyList<ChannelQuality> Channels,
    int? Blinks,
    int MuscleBursts,
    int Pops,
    long DroppedSamples,
    int Score)
{
    /// <summary>good ≥ 80, fair ≥ 50, poor below.</summary>
    public string Rating => SignalQuality.Rate(Score);
}

/// <summary>One channel's figures.</summary>
/// <param name="SnrDb">10·log10(signal-band power / (noise-band power + line-noise power)).</param>
/// <param name="SignalPower">Power in the physiological band without the mains harmonics' ±2 Hz, µV².</param>
/// <param name="NoisePower">Power in the noise band without the mains harmonics' ±2 Hz, µV².</param>
/// <param name="LineNoisePower">Power at the mains frequency ±1 Hz above the neighbouring floor, µV² (a sinusoid of amplitude A gives A²/2).</param>
/// <param name="Flat">No signal: standard deviation below 0.5 µV.</param>
/// <param name="Railed">Half the samples or more at the converter's limit.</param>
/// <param name="Pops">Electrode pops (steps of ≥ 100 µV, mostly within 10 ms, that persist for 50 ms).</param>
/// <param name="MuscleBursts">Stretches of 20–40 Hz RMS at least 3 × the channel's median (and 8 µV above it).</param>
/// <param name="Score">0–100: 0 when flat or railed; else SNR mapped linearly from −10 dB (0) to +6 dB (100), less 5 per artifact per minute (at most 40).</param>
public sealed record ChannelQuality(
    string Name,
    double SnrDb,
    double SignalPower,
    double NoisePower,
    double LineNoisePower,
    bool Flat,
    bool Railed,
    int Pops,
    int MuscleBursts,
    int Score)
{
    /// <summary>RMS of the line noise, µV.</summary>
    public double LineNoiseRms => Math.Sqrt(LineNoisePower);

    public string Rating => SignalQuality.Rate(Score);
}

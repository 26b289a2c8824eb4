using NeuraScale.Domain;

namespace NeuraScale.Amplifiers.Simulation;

/// <summary>
/// Everything the simulated amplifier puts into its signal. Each value is also the ground truth a test or an
/// analysis can recover. Defaults describe a resting-state EEG with an auditory oddball.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Same seed and options, same samples: bit for bit, at any position, in any order.</summary>
    public ulong Seed { get; set; } = 42;

    public Modality Modality { get; set; } = Modality.EEG;

    /// <summary>Number of channels, 1 up to the montage size (64 EEG, 12 ECG, 16 EMG).</summary>
    public int ChannelCount { get; set; } = 16;

    /// <summary>Sampling rate, Hz (whole number).</summary>
    public double SamplingRateHz { get; set; } = 250;

    public string DeviceId { get; set; } = "sim-eeg-01";

    public string FirmwareVersion { get; set; } = "2.3.1-sim";

    /// <summary>Mains frequency of the line noise, 50 or 60 Hz.</summary>
    public double LineFrequencyHz { get; set; } = 50;

    /// <summary>Line-noise amplitude at an electrode of 5 kΩ, µV; it grows in proportion to impedance.</summary>
    public double LineNoiseMicrovolts { get; set; } = 4;

    /// <summary>Alpha rhythm frequency, Hz.</summary>
    public double AlphaFrequencyHz { get; set; } = 10;

    /// <summary>Alpha amplitude at O1/O2/Oz, µV (weaker elsewhere).</summary>
    public double AlphaMicrovolts { get; set; } = 20;

    /// <summary>Scale of the 1/f background, µV (amplitude of the 1 Hz component per √Hz).</summary>
    public double BackgroundMicrovolts { get; set; } = 8;

    /// <summary>White (amplifier) noise standard deviation, µV.</summary>
    public double WhiteNoiseMicrovolts { get; set; } = 1;

    /// <summary>Blinks per second on average; each one 150 µV at Fp1/Fp2.</summary>
    public double BlinkRatePerSecond { get; set; } = 0.2;

    /// <summary>Seconds between stimulus markers (one per interval, jittered within its first half).</summary>
    public double StimulusIntervalSeconds { get; set; } = 2;

    /// <summary>Fraction of stimuli that are targets (full evoked response); the rest are standards (30 %).</summary>
    public double TargetProbability { get; set; } = 0.2;

    /// <summary>Latency of the evoked component's positive peak after each stimulus, seconds.</summary>
    public double EvokedLatencySeconds { get; set; } = 0.300;

    /// <summary>Evoked peak amplitude at Pz for a target, µV.</summary>
    public double EvokedMicrovolts { get; set; } = 12;

    /// <summary>Heart rate of the ECG modality, beats per minute.</summary>
    public double HeartRateBpm { get; set; } = 72;

    /// <summary>Channels whose electrodes have poor contact (25–60 kΩ); everything else is 2–8 kΩ.</summary>
    public IList<string> PoorContactChannels { get; set; } = [];

    /// <summary>Battery level when the device is switched on, %; drains 0.5 % per minute of streaming.</summary>
    public double InitialBatteryPercent { get; set; } = 87;

    /// <summary>Playback speed: 1 is real time; larger values deliver data faster (tests, demos).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Samples per delivered block (an amplifier's packet); 0 picks a tenth of a second.</summary>
    public int BlockSamples { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting and its allowed values.</summary>
    public void Validate()
    {
        var montage = Montages.For(Modality);
        Require(ChannelCount >= 1 && ChannelCount <= montage.Count, $"ChannelCount must be 1–{montage.Count} for {Modality}; got {ChannelCount}.");
        Require(SamplingRateHz is >= 100 and <= 20_000 && SamplingRateHz == Math.Floor(SamplingRateHz), $"SamplingRateHz must be a whole number in 100–20000; got {SamplingRateHz}.");
        Require(LineFrequencyHz is 50 or 60, $"LineFrequencyHz must be 50 or 60; got {LineFrequencyHz}.");
        Require(LineFrequencyHz < SamplingRateHz / 2, $"LineFrequencyHz ({LineFrequencyHz}) must be below Nyquist ({SamplingRateHz / 2} Hz).");
        Require(AlphaFrequencyHz is >= 7 and <= 14, $"AlphaFrequencyHz must be 7–14; got {AlphaFrequencyHz}.");
        Require(StimulusIntervalSeconds is >= 1 and <= 60, $"StimulusIntervalSeconds must be 1–60; got {StimulusIntervalSeconds}.");
        Require(EvokedLatencySeconds is >= 0.05 and <= 0.6, $"EvokedLatencySeconds must be 0.05–0.6; got {EvokedLatencySeconds}.");
        Require(TargetProbability is >= 0 and <= 1, $"TargetProbability must be 0–1; got {TargetProbability}.");
        Require(BlinkRatePerSecond is >= 0 and <= 2, $"BlinkRatePerSecond must be 0–2; got {BlinkRatePerSecond}.");
        Require(HeartRateBpm is >= 30 and <= 220, $"HeartRateBpm must be 30–220; got {HeartRateBpm}.");
        Require(Speed is > 0 and <= 10_000, $"Speed must be greater than 0 and at most 10000; got {Speed}.");
        Require(BlockSamples >= 0 && BlockSamples <= SamplingRateHz, $"BlockSamples must be 0 (auto) to one second of samples ({SamplingRateHz}); got {BlockSamples}.");
        Require(InitialBatteryPercent is >= 0 and <= 100, $"InitialBatteryPercent must be 0–100; got {InitialBatteryPercent}.");
        var names = montage.Take(ChannelCount).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var poor in PoorContactChannels)
        {
            Require(names.Contains(poor), $"Poor-contact channel '{poor}' is not one of this device's channels: {string.Join(", ", montage.Take(ChannelCount))}.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

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

    /// <summary>Number of channels, 1 up to the montage size (64 EEG, 12 ECG, 16 EMG): the first ones of <see cref="Montages"/>.</summary>
    public int ChannelCount { get; set; } = 16;

    /// <summary>
    /// Enabled channels by name (any of the montage, in montage order); empty means the first <see cref="ChannelCount"/>.
    /// A channel's signal does not depend on which others are enabled.
    /// </summary>
    public IList<string> Channels { get; set; } = [];

    /// <summary>Programmable gain: 1, 2, 4, 6, 8, 12 or 24 (an ADS1299's). The input range is ±4.5 V / gain.</summary>
    public int Gain { get; set; } = 24;

    /// <summary>Reference: EEG "linked-mastoids" (default) or "average" (common average of the enabled channels, on the device); ECG "wilson"; EMG "bipolar". Empty picks the default.</summary>
    public string Reference { get; set; } = string.Empty;

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

    /// <summary>
    /// Alpha amplitude with the eyes open, as a fraction of eyes-closed alpha (the Berger effect; 0.3 blocks about 90 %
    /// of alpha power, as in EEGMMIDB S001): a marker labelled "eyes open"/"EO" switches to it, "eyes closed"/"EC"
    /// back. Before any such marker the eyes are closed. 1 turns reactivity off.
    /// </summary>
    public double EyesOpenAlphaFactor { get; set; } = 0.3;

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

    /// <summary>Channels whose input is dead or shorted: they read a constant 0 µV (impedance ≈ 0).</summary>
    public IList<string> FlatChannels { get; set; } = [];

    /// <summary>Channels whose electrode is off: the input sits at the converter's positive limit (impedance open, &gt; 1 MΩ).</summary>
    public IList<string> RailedChannels { get; set; } = [];

    /// <summary>Channels with electrode pops: sudden steps of 150–400 µV (either sign) that decay with τ = 0.25 s.</summary>
    public IList<string> PopChannels { get; set; } = [];

    /// <summary>Pops per minute on each of <see cref="PopChannels"/>, at most one per second.</summary>
    public double PopsPerMinute { get; set; } = 3;

    /// <summary>Channels that pick up muscle (EMG) bursts together — temporal sites for a clenched jaw.</summary>
    public IList<string> MuscleChannels { get; set; } = [];

    /// <summary>Muscle bursts per minute (0.4–1.2 s long, broadband at 51 µV²/Hz: 80 µV rms at 250 Hz), at most one per 2 s.</summary>
    public double MuscleBurstsPerMinute { get; set; } = 6;

    /// <summary>Samples lost between amplifier and relay per minute on average; a lost sample repeats the previous one on every channel.</summary>
    public double DroppedSamplesPerMinute { get; set; }

    /// <summary>How fast the amplifier's sample clock runs against true time, ppm (positive: fast).</summary>
    public double ClockDriftPpm { get; set; } = 18;

    /// <summary>Room temperature, °C; the front end warms from +4 °C to +12 °C above it in the first half hour.</summary>
    public double AmbientTemperatureCelsius { get; set; } = 23;

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
        Require(EyesOpenAlphaFactor is >= 0 and <= 1, $"EyesOpenAlphaFactor must be 0–1 (1: no alpha reactivity); got {EyesOpenAlphaFactor}.");
        Require(Speed is > 0 and <= 10_000, $"Speed must be greater than 0 and at most 10000; got {Speed}.");
        Require(BlockSamples >= 0 && BlockSamples <= SamplingRateHz, $"BlockSamples must be 0 (auto) to one second of samples ({SamplingRateHz}); got {BlockSamples}.");
        Require(InitialBatteryPercent is >= 0 and <= 100, $"InitialBatteryPercent must be 0–100; got {InitialBatteryPercent}.");
        Require(Capabilities.Gains.Contains(Gain), $"Gain must be one of {string.Join(", ", Capabilities.Gains)}; got {Gain}.");
        Require(Reference.Length == 0 || Capabilities.ReferencesFor(Modality).Contains(Reference, StringComparer.OrdinalIgnoreCase), $"Reference must be one of {string.Join(", ", Capabilities.ReferencesFor(Modality))} for {Modality}; got '{Reference}'.");
        Require(PopsPerMinute is >= 0 and <= 60, $"PopsPerMinute must be 0–60; got {PopsPerMinute}.");
        Require(MuscleBurstsPerMinute is >= 0 and <= 30, $"MuscleBurstsPerMinute must be 0–30; got {MuscleBurstsPerMinute}.");
        Require(DroppedSamplesPerMinute >= 0 && DroppedSamplesPerMinute <= SamplingRateHz * 6, $"DroppedSamplesPerMinute must be 0 to a tenth of the samples ({SamplingRateHz * 6}); got {DroppedSamplesPerMinute}.");
        Require(Math.Abs(ClockDriftPpm) <= 1000, $"ClockDriftPpm must be within ±1000; got {ClockDriftPpm}.");
        var unknown = Channels.Where(c => !montage.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
        Require(unknown.Length == 0, $"Channels {string.Join(", ", unknown)} are not {Modality} channels of the simulator; it has {string.Join(", ", montage)}.");
        Require(Channels.Distinct(StringComparer.OrdinalIgnoreCase).Count() == Channels.Count, "Channels must name each channel once.");
        // Electrode conditions describe the inputs, enabled or not: disabling a channel does not fix its electrode.
        var inputs = Inputs().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (list, what) in new[] { (PoorContactChannels, "Poor-contact"), (FlatChannels, "Flat"), (RailedChannels, "Railed"), (PopChannels, "Pop"), (MuscleChannels, "Muscle") })
        {
            foreach (var name in list)
            {
                Require(inputs.Contains(name), $"{what} channel '{name}' is not one of this device's inputs: {string.Join(", ", Inputs())}.");
            }
        }
    }

    /// <summary>The device's inputs, in montage order: the first <see cref="ChannelCount"/> plus any named in <see cref="Channels"/>.</summary>
    public IReadOnlyList<string> Inputs()
    {
        var montage = Montages.For(Modality);
        return montage.Where((m, i) => i < ChannelCount || Channels.Contains(m, StringComparer.OrdinalIgnoreCase)).ToArray();
    }

    /// <summary>The enabled channels' names in montage order.</summary>
    public IReadOnlyList<string> EnabledChannels()
    {
        var montage = Montages.For(Modality);
        return Channels.Count == 0
            ? montage.Take(ChannelCount).ToArray()
            : montage.Where(m => Channels.Contains(m, StringComparer.OrdinalIgnoreCase)).ToArray();
    }

    /// <summary>A copy (lists copied too) to change settings on.</summary>
    public SimulatorOptions Clone()
    {
        var copy = (SimulatorOptions)MemberwiseClone();
        copy.Channels = [.. Channels];
        copy.PoorContactChannels = [.. PoorContactChannels];
        copy.FlatChannels = [.. FlatChannels];
        copy.RailedChannels = [.. RailedChannels];
        copy.PopChannels = [.. PopChannels];
        copy.MuscleChannels = [.. MuscleChannels];
        return copy;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

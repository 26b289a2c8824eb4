namespace NeuraScale.Signals.Quality;

/// <summary>
/// Where a modality's signal and noise live, and which artifact detectors make sense for it (muscle bursts are EMG's
/// signal and QRS complexes look like pops, so ECG and EMG skip those).
/// </summary>
/// <param name="SignalLowHz">Lower edge of the physiological band, Hz.</param>
/// <param name="SignalHighHz">Upper edge of the physiological band, Hz.</param>
/// <param name="NoiseLowHz">Lower edge of the band that holds noise rather than physiology, Hz.</param>
/// <param name="NoiseHighHz">Upper edge of that band, Hz.</param>
/// <param name="DetectPops">Look for electrode pops (steps).</param>
/// <param name="DetectMuscle">Look for muscle bursts (20–40 Hz power).</param>
public sealed record QualityProfile(double SignalLowHz, double SignalHighHz, double NoiseLowHz, double NoiseHighHz, bool DetectPops, bool DetectMuscle)
{
    /// <summary>EEG: 1–40 Hz is the brain's, 40–100 Hz (up to 0.45·fs) is muscle and amplifier noise.</summary>
    public static QualityProfile Eeg(double samplingRateHz) => new(1, 40, 40, Math.Min(100, 0.45 * samplingRateHz), DetectPops: true, DetectMuscle: true);

    /// <summary>ECG: 0.5–40 Hz holds P, QRS and T; above 40 Hz is muscle and amplifier noise.</summary>
    public static QualityProfile Ecg(double samplingRateHz) => new(0.5, 40, 40, Math.Min(100, 0.45 * samplingRateHz), DetectPops: false, DetectMuscle: false);

    /// <summary>Surface EMG: 20–450 Hz (up to 0.45·fs) is the muscle; 1–10 Hz is movement artifact.</summary>
    public static QualityProfile Emg(double samplingRateHz) => new(20, Math.Min(450, 0.45 * samplingRateHz), 1, 10, DetectPops: true, DetectMuscle: false);
}

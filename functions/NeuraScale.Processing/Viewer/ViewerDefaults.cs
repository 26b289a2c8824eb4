using NeuraScale.Domain;

namespace NeuraScale.Processing.Viewer;

/// <summary>
/// What a reader of each modality opens a recording with: EEG at 7 µV/mm with 0.5–70 Hz (the usual clinical display),
/// ECG at 10 mm/mV (100 µV/mm) with 0.5–40 Hz (monitoring band), EMG at 50 µV/mm with a 20 Hz high-pass (movement
/// artefact). A low-pass is only set when it is below 90 % of Nyquist; no notch (line noise is shown, not hidden).
/// </summary>
public sealed record ViewerDefaults(double? HighPassHz, double? LowPassHz, double SensitivityUvPerMm)
{
    public static ViewerDefaults For(Modality modality, double samplingRateHz)
    {
        double? Below(double hz) => hz < 0.45 * samplingRateHz ? hz : null;
        return modality switch
        {
            Modality.ECG => new(0.5, Below(40), 100),
            Modality.EMG => new(Below(20), null, 50),
            _ => new(0.5, Below(70), 7),
        };
    }
}

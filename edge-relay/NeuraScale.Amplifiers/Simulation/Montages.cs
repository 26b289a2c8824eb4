using NeuraScale.Domain;

namespace NeuraScale.Amplifiers.Simulation;

/// <summary>Channel names the simulator uses, in the order channels are added as the count grows.</summary>
public static class Montages
{
    /// <summary>
    /// 10-20 / 10-10 EEG labels. The first 8 and 16 are the OpenBCI Cyton / Cyton+Daisy default montages, so small
    /// configurations still cover frontal (blinks) and occipital (alpha) sites; then midline and 10-10 positions.
    /// </summary>
    public static IReadOnlyList<string> Eeg { get; } =
    [
        "Fp1", "Fp2", "C3", "C4", "P7", "P8", "O1", "O2",
        "F7", "F8", "F3", "F4", "T7", "T8", "P3", "P4",
        "Fz", "Cz", "Pz", "Oz", "Fpz", "POz",
        "AF3", "AF4", "AF7", "AF8", "F1", "F2", "F5", "F6",
        "FC1", "FC2", "FC3", "FC4", "FC5", "FC6", "FCz", "FT7", "FT8",
        "C1", "C2", "C5", "C6", "CP1", "CP2", "CP3", "CP4", "CP5", "CP6", "CPz",
        "TP7", "TP8", "P1", "P2", "P5", "P6", "PO3", "PO4", "PO7", "PO8", "FT9", "FT10", "TP9", "TP10",
    ];

    /// <summary>Standard ECG leads.</summary>
    public static IReadOnlyList<string> Ecg { get; } = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>Surface EMG sites.</summary>
    public static IReadOnlyList<string> Emg { get; } =
    [
        "Biceps L", "Biceps R", "Triceps L", "Triceps R", "Forearm flexor L", "Forearm flexor R", "Forearm extensor L", "Forearm extensor R",
        "Deltoid L", "Deltoid R", "Trapezius L", "Trapezius R", "Quadriceps L", "Quadriceps R", "Tibialis L", "Tibialis R",
    ];

    public static IReadOnlyList<string> For(Modality modality) => modality switch
    {
        Modality.EEG => Eeg,
        Modality.ECG => Ecg,
        Modality.EMG => Emg,
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "Modality must be EEG, EMG or ECG."),
    };

    public static ChannelType ChannelTypeFor(Modality modality) => modality switch
    {
        Modality.EEG => ChannelType.EEG,
        Modality.ECG => ChannelType.ECG,
        _ => ChannelType.EMG,
    };
}

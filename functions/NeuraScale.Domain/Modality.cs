namespace NeuraScale.Domain;

/// <summary>What kind of biosignal a recording (or a device) captures.</summary>
public enum Modality
{
    /// <summary>Electroencephalography: scalp potentials, microvolts.</summary>
    EEG,
    /// <summary>Electromyography: muscle potentials, microvolts.</summary>
    EMG,
    /// <summary>Electrocardiography: cardiac potentials, microvolts.</summary>
    ECG,
}

/// <summary>Channel types, named as MNE-Python names them (<c>eeg</c>, <c>eog</c>, <c>emg</c>, <c>ecg</c>, <c>stim</c>, <c>misc</c>).</summary>
public enum ChannelType
{
    EEG,
    EOG,
    EMG,
    ECG,
    Stim,
    Misc,
}

/// <summary>Where a recording is in its life.</summary>
public enum SessionStatus
{
    /// <summary>Data is still arriving.</summary>
    Recording,
    /// <summary>The relay closed the session; no more data will arrive.</summary>
    Completed,
    /// <summary>The recording stopped without being closed (relay lost, operator abort).</summary>
    Interrupted,
}

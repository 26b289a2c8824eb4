namespace NeuraScale.Domain;

/// <summary>An acquisition device (amplifier) as it describes itself to the relay.</summary>
/// <param name="Id">Stable device identifier, e.g. <c>sim-eeg-01</c>.</param>
/// <param name="Model">Manufacturer model name.</param>
/// <param name="Modality">What it records.</param>
/// <param name="FirmwareVersion">Firmware version string.</param>
/// <param name="Channels">Channel layout.</param>
/// <param name="SamplingRateHz">Sampling rate, Hz.</param>
public sealed record Device(
    string Id,
    string Model,
    Modality Modality,
    string FirmwareVersion,
    IReadOnlyList<ChannelInfo> Channels,
    double SamplingRateHz);

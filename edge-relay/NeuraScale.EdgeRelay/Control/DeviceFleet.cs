using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>The devices this relay drives, by id, built from <see cref="ControlOptions.Devices"/>.</summary>
public sealed class DeviceFleet
{
    private readonly Dictionary<string, ControlledDevice> _devices;

    public DeviceFleet(IOptions<ControlOptions> options, TimeProvider time)
    {
        var configured = options.Value.Devices.Count > 0
            ? options.Value.Devices
            : [new SimulatorOptions { DeviceId = options.Value.RelayId + "-eeg-01", Modality = Modality.EEG, ChannelCount = 16, SamplingRateHz = 250 }];
        _devices = configured
            .Select(o => new ControlledDevice(new SimulatedAmplifier(o, time), "simulator", time))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<ControlledDevice> All => _devices.Values;

    public ControlledDevice? Find(string deviceId) => _devices.GetValueOrDefault(deviceId);
}

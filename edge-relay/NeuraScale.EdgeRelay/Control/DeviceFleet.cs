using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>The devices this relay drives, by id, built from <see cref="ControlOptions.Devices"/> with the settings they were last given.</summary>
public sealed class DeviceFleet
{
    private readonly Dictionary<string, ControlledDevice> _devices;

    public DeviceFleet(IOptions<ControlOptions> options, DeviceSettingsStore settings, TimeProvider time)
    {
        var simulated = options.Value.Devices.Count > 0 || options.Value.Playback.Count > 0
            ? options.Value.Devices
            : [new SimulatorOptions { DeviceId = options.Value.RelayId + "-eeg-01", Modality = Modality.EEG, ChannelCount = 16, SamplingRateHz = 250 }];
        var devices = simulated.Select(o => new ControlledDevice(new SimulatedAmplifier(o, time), "simulator", time))
            .Concat(options.Value.Playback.Select(o => new ControlledDevice(new EdfReplayDriver(o, time), "edf-playback", time)))
            .ToArray();
        var duplicate = devices.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Control: two devices have the id '{duplicate.Key}'; every device needs its own id.");
        }

        _devices = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);

        // As configured before the relay last stopped (what the device refuses now — it was replaced — stays default).
        foreach (var device in devices)
        {
            if (settings.Load(device.Id) is { } saved)
            {
                device.Driver.Configure(saved);
            }
        }
    }

    public IReadOnlyCollection<ControlledDevice> All => _devices.Values;

    public ControlledDevice? Find(string deviceId) => _devices.GetValueOrDefault(deviceId);
}

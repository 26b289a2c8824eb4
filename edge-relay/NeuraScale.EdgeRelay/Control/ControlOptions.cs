using System.ComponentModel.DataAnnotations;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Amplifiers.Simulation;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>The relay as a member of the control plane. Section <c>Control</c>.</summary>
public sealed class ControlOptions
{
    public const string SectionName = "Control";

    /// <summary>This relay's id: names its command queue, so lowercase letters, digits and hyphens, 3–40 characters.</summary>
    [Required(ErrorMessage = "Control:RelayId (--relay-id) is required: this relay's id, 3–40 lowercase letters, digits or hyphens, e.g. lab1-relay.")]
    [RegularExpression("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$", ErrorMessage = "Control:RelayId (--relay-id) must be 3–40 lowercase letters, digits or hyphens, starting and ending with a letter or digit (it names the relay's command queue), e.g. lab1-relay.")]
    public string RelayId { get; set; } = string.Empty;

    /// <summary>A name people recognise, e.g. the room or the lab.</summary>
    public string? Name { get; set; }

    /// <summary>How often the relay reports that it is alive (servers treat three missed beats as offline).</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>How long the relay waits before polling its queue again when it found nothing.</summary>
    [Range(0.1, 60)]
    public double PollSeconds { get; set; } = 1;

    /// <summary>Where recordings wait on disk until storage has them: one folder per device, resumed after a restart.</summary>
    [Required]
    public string SpoolDirectory { get; set; } = "spool";

    /// <summary>
    /// The amplifiers this relay drives (simulated here; a real amplifier's driver registers the same way). None
    /// configured: one simulated 16-channel EEG, <c>{RelayId}-eeg-01</c>.
    /// </summary>
    public List<SimulatorOptions> Devices { get; set; } = [];

    /// <summary>Playback devices: a recorded EDF/BDF file replayed as if an amplifier produced it (Path, DeviceId, Speed).</summary>
    public List<EdfReplayOptions> Playback { get; set; } = [];
}

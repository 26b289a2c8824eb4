namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>Replay of a recorded EDF/EDF+ file as if an amplifier were producing it. Section <c>EdfReplay</c>.</summary>
public sealed class EdfReplayOptions
{
    /// <summary>Path of the .edf file.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Playback speed: 1 is real time.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Device id reported for the replay.</summary>
    public string DeviceId { get; set; } = "edf-replay";

    /// <summary>Mains frequency where the file was recorded (50 or 60 Hz), for its quality checks; EEGMMIDB was recorded in the USA (60 Hz).</summary>
    public double LineFrequencyHz { get; set; } = 50;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path) || !File.Exists(Path))
        {
            throw new ArgumentException($"EdfReplay:Path must name an existing .edf file; got '{Path}'.");
        }

        if (LineFrequencyHz is not (50 or 60))
        {
            throw new ArgumentException($"EdfReplay:LineFrequencyHz must be 50 or 60; got {LineFrequencyHz}.");
        }

        if (Speed is <= 0 or > 10_000)
        {
            throw new ArgumentException($"EdfReplay:Speed must be greater than 0 and at most 10000; got {Speed}.");
        }
    }
}

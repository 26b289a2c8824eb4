namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>Replay of a recorded EDF/EDF+ file as if an amplifier were producing it. Section <c>EdfReplay</c>.</summary>
public sealed class EdfReplayOptions
{
    /// <summary>Path of the .edf file.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// Files played after <see cref="Path"/>, in order, as one continuous recording (same channels and rate), e.g. an
    /// eyes-open run then an eyes-closed run. Each file's annotations come through at their place.
    /// </summary>
    public List<string> ThenPaths { get; set; } = [];

    /// <summary>Start over after the last file, so a protocol longer than the files can run on them.</summary>
    public bool Loop { get; set; }

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

        if (ThenPaths.FirstOrDefault(p => string.IsNullOrWhiteSpace(p) || !File.Exists(p)) is { } missing)
        {
            throw new ArgumentException($"EdfReplay:ThenPaths must name existing .edf files; '{missing}' does not exist.");
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

namespace NeuraScale.Signals.Spectral;

/// <summary>A named frequency band, [low, high] Hz.</summary>
/// <param name="Name">Band name, e.g. "alpha".</param>
/// <param name="LowHz">Lower edge, Hz.</param>
/// <param name="HighHz">Upper edge, Hz.</param>
public sealed record FrequencyBand(string Name, double LowHz, double HighHz)
{
    /// <summary>The conventional EEG bands: delta 1–4, theta 4–8, alpha 8–13, beta 13–30, gamma 30–45 Hz.</summary>
    public static IReadOnlyList<FrequencyBand> Standard { get; } =
    [
        new("delta", 1, 4),
        new("theta", 4, 8),
        new("alpha", 8, 13),
        new("beta", 13, 30),
        new("gamma", 30, 45),
    ];
}

using NeuraScale.Domain;

namespace NeuraScale.Amplifiers.Simulation;

/// <summary>The simulated amplifier's allowed settings, modelled on an ADS1299-based board (OpenBCI Cyton class).</summary>
public static class Capabilities
{
    /// <summary>Full scale of the converter at gain 1: ±VREF = ±4.5 V.</summary>
    public const double FullScaleMicrovolts = 4_500_000;

    public static IReadOnlyList<int> Gains { get; } = [1, 2, 4, 6, 8, 12, 24];

    public static IReadOnlyList<double> LineFrequenciesHz { get; } = [50, 60];

    /// <summary>Largest magnitude the converter represents at a gain, µV.</summary>
    public static double InputRangeMicrovolts(int gain) => FullScaleMicrovolts / gain;

    public static IReadOnlyList<double> SamplingRatesFor(Modality modality) => modality switch
    {
        Modality.EEG => [250, 500, 1000, 2000],
        Modality.ECG => [250, 500, 1000],
        _ => [500, 1000, 2000, 4000],
    };

    /// <summary>The first is the default.</summary>
    public static IReadOnlyList<string> ReferencesFor(Modality modality) => modality switch
    {
        Modality.EEG => ["linked-mastoids", "average"],
        Modality.ECG => ["wilson"],
        _ => ["bipolar"],
    };
}

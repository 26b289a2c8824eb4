namespace NeuraScale.Signals.Spectral;

/// <summary>Measures read off a one-sided power spectral density (band power, peak frequency).</summary>
public static class SpectralMeasures
{
    /// <summary>
    /// Power in [<paramref name="lowHz"/>, <paramref name="highHz"/>]: the trapezoid integral of the PSD over the bins
    /// inside the band (<c>numpy.trapz(psd[mask], freqs[mask])</c>), in the PSD's unit × Hz (µV² for µV²/Hz).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, the band is empty or holds fewer than two bins.</exception>
    public static double BandPower(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double lowHz, double highHz)
    {
        if (frequencies.Length != psd.Length)
        {
            throw new ArgumentException($"frequencies ({frequencies.Length}) and psd ({psd.Length}) must have the same length.", nameof(psd));
        }

        if (!(highHz > lowHz))
        {
            throw new SignalParameterException(nameof(highHz), $"a band's high edge ({highHz} Hz) must be above its low edge ({lowHz} Hz).");
        }

        double power = 0;
        var previous = -1;
        var bins = 0;
        for (var k = 0; k < frequencies.Length; k++)
        {
            if (frequencies[k] < lowHz || frequencies[k] > highHz)
            {
                continue;
            }

            if (previous >= 0)
            {
                power += (frequencies[k] - frequencies[previous]) * (psd[k] + psd[previous]) / 2;
            }

            previous = k;
            bins++;
        }

        if (bins < 2)
        {
            throw new SignalParameterException(nameof(lowHz), $"The band {lowHz}–{highHz} Hz holds {bins} frequency bin(s) at this resolution; widen the band or use longer segments.");
        }

        return power;
    }

    /// <summary>
    /// Frequency of the largest PSD value within [<paramref name="lowHz"/>, <paramref name="highHz"/>], refined by a
    /// parabola through the peak bin and its neighbours (sub-bin accuracy); the bin itself at the search edges.
    /// Returns NaN when the range holds no bins.
    /// </summary>
    public static double PeakFrequency(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double lowHz, double highHz)
    {
        if (frequencies.Length != psd.Length)
        {
            throw new ArgumentException($"frequencies ({frequencies.Length}) and psd ({psd.Length}) must have the same length.", nameof(psd));
        }

        var best = -1;
        for (var k = 0; k < frequencies.Length; k++)
        {
            if (frequencies[k] >= lowHz && frequencies[k] <= highHz && (best < 0 || psd[k] > psd[best]))
            {
                best = k;
            }
        }

        if (best < 0)
        {
            return double.NaN;
        }

        if (best == 0 || best == frequencies.Length - 1 || frequencies[best - 1] < lowHz || frequencies[best + 1] > highHz)
        {
            return frequencies[best];
        }

        double left = psd[best - 1], centre = psd[best], right = psd[best + 1];
        var curvature = left - (2 * centre) + right;
        var offset = curvature == 0 ? 0 : 0.5 * (left - right) / curvature;
        return frequencies[best] + (offset * (frequencies[best + 1] - frequencies[best]));
    }
}

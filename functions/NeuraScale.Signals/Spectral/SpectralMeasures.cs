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

    /// <summary>
    /// The most prominent local maximum of the PSD inside [<paramref name="lowHz"/>, <paramref name="highHz"/>] that
    /// stands above the aperiodic (1/f) trend: a bin higher than both neighbours, its frequency refined by a parabola
    /// through the three bins, and its prominence = PSD / trend at that bin. The trend is a straight line fitted by
    /// least squares to log10 PSD against log10 f over [<paramref name="fitLowHz"/>, <paramref name="fitHighHz"/>]
    /// without the searched range (FOOOF's "fixed" aperiodic mode, without its Gaussian peaks). Returns null when no
    /// bin in the range is a local maximum above the trend — a falling 1/f slope has none, so a range edge is never
    /// reported as a peak.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or fewer than three bins lie in the fitting range.</exception>
    public static SpectralPeak? PeakAboveAperiodic(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double lowHz, double highHz, double fitLowHz, double fitHighHz)
    {
        if (frequencies.Length != psd.Length)
        {
            throw new ArgumentException($"frequencies ({frequencies.Length}) and psd ({psd.Length}) must have the same length.", nameof(psd));
        }

        // Least-squares line through (log10 f, log10 PSD) outside the searched range.
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var k = 0; k < frequencies.Length; k++)
        {
            var f = frequencies[k];
            if (f < fitLowHz || f > fitHighHz || (f >= lowHz && f <= highHz) || !(f > 0) || !(psd[k] > 0))
            {
                continue;
            }

            var x = Math.Log10(f);
            var y = Math.Log10(psd[k]);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        if (n < 3)
        {
            throw new SignalParameterException(nameof(fitLowHz), $"The aperiodic fit {fitLowHz}–{fitHighHz} Hz (without {lowHz}–{highHz} Hz) holds {n} frequency bin(s); it needs at least 3.");
        }

        var slope = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        var intercept = (sy - (slope * sx)) / n;

        SpectralPeak? best = null;
        for (var k = 1; k < frequencies.Length - 1; k++)
        {
            if (frequencies[k] < lowHz || frequencies[k] > highHz || !(psd[k] > psd[k - 1]) || !(psd[k] >= psd[k + 1]))
            {
                continue;
            }

            var trend = Math.Pow(10, intercept + (slope * Math.Log10(frequencies[k])));
            var prominence = psd[k] / trend;
            if (prominence > 1 && (best is null || prominence > best.Value.Prominence))
            {
                double left = psd[k - 1], centre = psd[k], right = psd[k + 1];
                var curvature = left - (2 * centre) + right;
                var offset = curvature == 0 ? 0 : 0.5 * (left - right) / curvature;
                best = new SpectralPeak(frequencies[k] + (offset * (frequencies[k + 1] - frequencies[k])), prominence);
            }
        }

        return best;
    }
}

/// <summary>A spectral peak: its frequency (Hz) and its height over the aperiodic trend (PSD / trend, 1 = on the trend).</summary>
public readonly record struct SpectralPeak(double FrequencyHz, double Prominence);

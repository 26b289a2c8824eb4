namespace NeuraScale.Signals;

/// <summary>FIR filter design by the window method.</summary>
public static class FirDesign
{
    /// <summary>
    /// Linear-phase low-pass FIR taps by the window method with a symmetric Hamming window, scaled to unit gain at
    /// DC: the same taps as <c>scipy.signal.firwin(numtaps, cutoff, window='hamming')</c>.
    /// </summary>
    /// <param name="numTaps">Filter length; odd, 3–100001 (odd length gives a whole-sample delay).</param>
    /// <param name="cutoff">Cut-off as a fraction of Nyquist, 0 &lt; cutoff &lt; 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given above.</exception>
    public static double[] LowPassHamming(int numTaps, double cutoff)
    {
        if (numTaps < 3 || numTaps > 100_001 || numTaps % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numTaps), numTaps, "numTaps must be odd and between 3 and 100001.");
        }

        if (!(cutoff > 0 && cutoff < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "cutoff is a fraction of Nyquist and must satisfy 0 < cutoff < 1.");
        }

        var taps = new double[numTaps];
        var alpha = 0.5 * (numTaps - 1);
        var sum = 0.0;
        for (var n = 0; n < numTaps; n++)
        {
            var m = n - alpha;
            var window = 0.54 - (0.46 * Math.Cos(2 * Math.PI * n / (numTaps - 1)));
            taps[n] = cutoff * Sinc(cutoff * m) * window;
            sum += taps[n];
        }

        for (var n = 0; n < numTaps; n++)
        {
            taps[n] /= sum;
        }

        return taps;
    }

    /// <summary>Normalised sinc, sin(πx)/(πx), with sinc(0) = 1.</summary>
    public static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
}

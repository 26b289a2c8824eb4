namespace NeuraScale.Signals;

/// <summary>
/// Anti-aliased downsampling by an integer factor, as <c>scipy.signal.decimate(x, q, ftype='fir')</c> does it:
/// a Hamming-window FIR low-pass of <c>20·q + 1</c> taps with cut-off at the new Nyquist, applied with zero phase
/// (centred), keeping every q-th sample; samples outside the signal count as zero.
/// </summary>
public static class Decimation
{
    /// <summary>Largest factor accepted.</summary>
    public const int MaxFactor = 1000;

    /// <summary>Taps of the anti-alias filter for factor <paramref name="factor"/> (2–<see cref="MaxFactor"/>).</summary>
    public static double[] AntiAliasTaps(int factor)
    {
        if (factor < 2 || factor > MaxFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"A decimation filter is needed for factors 2–{MaxFactor}.");
        }

        return FirDesign.LowPassHamming((20 * factor) + 1, 1.0 / factor);
    }

    /// <summary>Half the filter length: how many samples each output looks at on either side.</summary>
    public static int HalfLength(int factor) => 10 * factor;

    /// <summary>
    /// Computes <c>output[k] = Σ_j taps[j] · input[first + k·step + half − j]</c> with <c>half = (taps.Length − 1)/2</c>
    /// and <c>input</c> taken as zero outside its bounds: the centred (zero-phase) FIR response at every
    /// <paramref name="step"/>-th sample from <paramref name="first"/>.
    /// </summary>
    /// <param name="input">Signal segment.</param>
    /// <param name="taps">Symmetric FIR taps of odd length.</param>
    /// <param name="first">Index in <paramref name="input"/> of the first output's centre; may be any value.</param>
    /// <param name="step">Decimation factor, ≥ 1.</param>
    /// <param name="output">Destination; its length is the number of outputs computed.</param>
    /// <exception cref="ArgumentException"><paramref name="taps"/> has even length or <paramref name="step"/> &lt; 1.</exception>
    public static void FilterAndDownsample(ReadOnlySpan<double> input, ReadOnlySpan<double> taps, int first, int step, Span<double> output)
    {
        if (taps.Length % 2 == 0)
        {
            throw new ArgumentException($"taps must have odd length for a centred filter; got {taps.Length}.", nameof(taps));
        }

        if (step < 1)
        {
            throw new ArgumentException($"step must be at least 1; got {step}.", nameof(step));
        }

        var half = (taps.Length - 1) / 2;
        for (var k = 0; k < output.Length; k++)
        {
            var centre = first + (k * step);
            // Only taps that land inside the input contribute; the rest multiply zeros.
            var jMin = Math.Max(0, centre + half - (input.Length - 1));
            var jMax = Math.Min(taps.Length - 1, centre + half);
            var sum = 0.0;
            for (var j = jMin; j <= jMax; j++)
            {
                sum += taps[j] * input[centre + half - j];
            }

            output[k] = sum;
        }
    }
}

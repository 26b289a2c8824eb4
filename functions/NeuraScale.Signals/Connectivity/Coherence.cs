using System.Numerics;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Signals.Connectivity;

/// <summary>
/// Magnitude-squared coherence, equal to <c>scipy.signal.coherence(x, y, fs, window='hann', nperseg, noverlap,
/// detrend='constant')</c>: |Pxy|² / (Pxx · Pyy) from Welch-averaged (cross-)spectra. For many channels, each channel's
/// segment spectra are computed once and shared by every pair.
/// </summary>
public static class Coherence
{
    /// <summary>Coherence for every channel pair: <c>[i][j][bin]</c> (symmetric; the diagonal is 1).</summary>
    /// <param name="signals"><c>signals[channel][sample]</c>, all the same length.</param>
    /// <param name="segmentLength">nperseg, 2 ≤ n ≤ length.</param>
    /// <param name="overlap">noverlap, 0 ≤ overlap &lt; segmentLength.</param>
    public static double[][][] AllPairs(double[][] signals, int segmentLength, int overlap)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var length = signals.Length == 0 ? 0 : signals[0].Length;
        if (segmentLength < 2 || segmentLength > length)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentLength), segmentLength, $"the segment length must be between 2 and the signal length ({length} samples).");
        }

        if (overlap < 0 || overlap >= segmentLength)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, $"the overlap must be between 0 and {segmentLength - 1} samples.");
        }

        var bins = Welch.BinCount(segmentLength);
        var step = segmentLength - overlap;
        var segments = (length - overlap) / step;
        var window = Welch.PeriodicHann(segmentLength);
        var spectra = new Complex[signals.Length][][];
        Parallel.For(0, signals.Length, c => spectra[c] = SegmentSpectra(signals[c], window, segments, step, bins));

        var channels = signals.Length;
        var power = new double[channels][];
        for (var c = 0; c < channels; c++)
        {
            power[c] = new double[bins];
            for (var s = 0; s < segments; s++)
            {
                for (var k = 0; k < bins; k++)
                {
                    power[c][k] += (spectra[c][s][k] * Complex.Conjugate(spectra[c][s][k])).Real;
                }
            }
        }

        var result = new double[channels][][];
        for (var i = 0; i < channels; i++)
        {
            result[i] = new double[channels][];
        }

        Parallel.For(0, channels, i =>
        {
            result[i][i] = Enumerable.Repeat(1.0, bins).ToArray();
            for (var j = i + 1; j < channels; j++)
            {
                var coherence = new double[bins];
                for (var k = 0; k < bins; k++)
                {
                    var cross = Complex.Zero;
                    for (var s = 0; s < segments; s++)
                    {
                        cross += Complex.Conjugate(spectra[i][s][k]) * spectra[j][s][k];
                    }

                    var denominator = power[i][k] * power[j][k];
                    coherence[k] = denominator > 0 ? (cross.Magnitude * cross.Magnitude) / denominator : 0;
                }

                result[i][j] = coherence;
                result[j][i] = coherence;
            }
        });
        return result;
    }

    /// <summary>Hann-windowed, mean-removed FFT of each segment, one-sided.</summary>
    private static Complex[][] SegmentSpectra(double[] x, double[] window, int segments, int step, int bins)
    {
        var n = window.Length;
        var result = new Complex[segments][];
        var buffer = new Complex[n];
        for (var s = 0; s < segments; s++)
        {
            var mean = 0.0;
            for (var i = 0; i < n; i++)
            {
                mean += x[(s * step) + i];
            }

            mean /= n;
            for (var i = 0; i < n; i++)
            {
                buffer[i] = new Complex((x[(s * step) + i] - mean) * window[i], 0);
            }

            Fft.Forward(buffer);
            result[s] = buffer[..bins];
        }

        return result;
    }
}

using System.Numerics;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Signals.Connectivity;

/// <summary>
/// Phase-based connectivity over epochs from each epoch's Hann-windowed Fourier coefficients X, Y and their cross
/// spectrum S = X·conj(Y): the phase-locking value PLV = |mean(S/|S|)| (Lachaux et al. 1999) and the weighted phase
/// lag index wPLI = |mean(Im S)| / mean(|Im S|) (Vinck et al. 2011), per frequency bin.
/// </summary>
public static class PhaseSynchrony
{
    /// <summary>PLV and wPLI for every channel pair, <c>[i][j][bin]</c>; PLV's diagonal is 1, wPLI's 0.</summary>
    /// <param name="epochs"><c>epochs[epoch][channel][sample]</c>; at least two epochs.</param>
    public static (double[][][] Plv, double[][][] Wpli) AllPairs(double[][][] epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Length < 2)
        {
            throw new ArgumentException($"Phase synchrony is an average over epochs; at least 2 are needed, got {epochs.Length}.", nameof(epochs));
        }

        var channels = epochs[0].Length;
        var samples = epochs[0][0].Length;
        var bins = Welch.BinCount(samples);
        var window = Welch.PeriodicHann(samples);
        var coefficients = new Complex[epochs.Length][][];
        Parallel.For(0, epochs.Length, e =>
        {
            coefficients[e] = new Complex[channels][];
            var buffer = new Complex[samples];
            for (var c = 0; c < channels; c++)
            {
                var x = epochs[e][c];
                var mean = x.Average();
                for (var i = 0; i < samples; i++)
                {
                    buffer[i] = new Complex((x[i] - mean) * window[i], 0);
                }

                Fft.Forward(buffer);
                coefficients[e][c] = buffer[..bins];
            }
        });

        var plv = Square(channels);
        var wpli = Square(channels);
        Parallel.For(0, channels, i =>
        {
            plv[i][i] = Enumerable.Repeat(1.0, bins).ToArray();
            wpli[i][i] = new double[bins];
            for (var j = i + 1; j < channels; j++)
            {
                var p = new double[bins];
                var w = new double[bins];
                for (var k = 0; k < bins; k++)
                {
                    var unit = Complex.Zero;
                    double imaginary = 0, absImaginary = 0;
                    foreach (var epoch in coefficients)
                    {
                        var cross = epoch[i][k] * Complex.Conjugate(epoch[j][k]);
                        var magnitude = cross.Magnitude;
                        unit += magnitude > 0 ? cross / magnitude : Complex.Zero;
                        imaginary += cross.Imaginary;
                        absImaginary += Math.Abs(cross.Imaginary);
                    }

                    p[k] = unit.Magnitude / coefficients.Length;
                    w[k] = absImaginary > 0 ? Math.Abs(imaginary) / absImaginary : 0;
                }

                plv[i][j] = plv[j][i] = p;
                wpli[i][j] = wpli[j][i] = w;
            }
        });
        return (plv, wpli);
    }

    private static double[][][] Square(int n) => Enumerable.Range(0, n).Select(_ => new double[n][]).ToArray();
}

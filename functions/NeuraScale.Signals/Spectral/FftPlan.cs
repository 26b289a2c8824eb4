using System.Collections.Concurrent;
using System.Numerics;

namespace NeuraScale.Signals.Spectral;

/// <summary>
/// Factors and twiddles for one FFT length, shared by the scalar <see cref="Fft"/> and the four-lane
/// <see cref="LaneFft"/> (so both do the same arithmetic). Only lengths whose prime factors are 2, 3, 5 or 7 have a
/// plan; <see cref="For"/> returns null for the others.
/// </summary>
internal sealed class FftPlan
{
    public const int LargestRadix = 7;

    // The 5-point DFT's constants: cos and sin of 2π/5 and 4π/5.
    public static readonly double Cos1 = Math.Cos(2 * Math.PI / 5);
    public static readonly double Cos2 = Math.Cos(4 * Math.PI / 5);
    public static readonly double Sin1 = Math.Sin(2 * Math.PI / 5);
    public static readonly double Sin2 = Math.Sin(4 * Math.PI / 5);

    private static readonly ConcurrentDictionary<int, FftPlan?> Plans = new();

    private FftPlan(int length, int[] factors)
    {
        Length = length;
        Factors = factors;
        Twiddles = new Complex[length];
        for (var j = 0; j < length; j++)
        {
            var angle = -2 * Math.PI * j / length;
            Twiddles[j] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }
    }

    public int Length { get; }

    /// <summary>Radices, outermost first (fours before twos: fewer passes).</summary>
    public int[] Factors { get; }

    /// <summary>e^(−2πij/N), j = 0 … N−1.</summary>
    public Complex[] Twiddles { get; }

    public static FftPlan? For(int length) => Plans.GetOrAdd(length, Create);

    private static FftPlan? Create(int n)
    {
        var factors = new List<int>();
        var rest = n;
        foreach (var radix in new[] { 4, 2, 3, 5, 7 })
        {
            while (rest % radix == 0)
            {
                factors.Add(radix);
                rest /= radix;
            }
        }

        return rest == 1 ? new FftPlan(n, factors.ToArray()) : null;
    }
}

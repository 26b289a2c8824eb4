using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace NeuraScale.Signals.Spectral;

/// <summary>
/// Forward complex FFT without scaling (X[k] = Σ x[n]·e^(−2πikn/N)), in place. Lengths whose prime factors are all
/// small (2, 3, 5, 7 — every usual segment length: 250, 500, 1000, 2000, 256, 320 …) use a mixed-radix
/// Cooley–Tukey transform with a cached plan; other lengths fall back to MathNet's Bluestein transform. MathNet alone
/// would take Bluestein's three power-of-two transforms for a 2,000-point segment, about ten times the work.
/// </summary>
public static class Fft
{
    public static void Forward(Span<Complex> data)
    {
        var n = data.Length;
        if (n <= 1)
        {
            return;
        }

        var plan = FftPlan.For(n);
        if (plan is null)
        {
            var copy = data.ToArray();
            Fourier.Forward(copy, FourierOptions.NoScaling);
            copy.CopyTo(data);
            return;
        }

        var input = System.Buffers.ArrayPool<Complex>.Shared.Rent(n);
        try
        {
            data.CopyTo(input);
            Transform(plan, input, 0, 1, data, 0, n, 0);
        }
        finally
        {
            System.Buffers.ArrayPool<Complex>.Shared.Return(input);
        }
    }

    /// <summary>
    /// Decimation in time: the n-point DFT of input[offset + stride·i] into output[outOffset …], from p DFTs of
    /// length n/p over every p-th sample, combined with twiddles and one p-point DFT per output column.
    /// </summary>
    private static void Transform(FftPlan plan, Complex[] input, int offset, int stride, Span<Complex> output, int outOffset, int n, int level)
    {
        if (n == 1)
        {
            output[outOffset] = input[offset];
            return;
        }

        var p = plan.Factors[level];
        var m = n / p;
        for (var q = 0; q < p; q++)
        {
            if (m == 1)
            {
                output[outOffset + q] = input[offset + (q * stride)]; // a 1-point DFT is the sample itself
            }
            else
            {
                Transform(plan, input, offset + (q * stride), stride * p, output, outOffset + (q * m), m, level + 1);
            }
        }

        var scale = plan.Length / n; // twiddle index step for this length
        var twiddles = plan.Twiddles;
        switch (p)
        {
            case 2:
                for (var k = 0; k < m; k++)
                {
                    var a = output[outOffset + k];
                    var b = output[outOffset + m + k] * twiddles[k * scale];
                    output[outOffset + k] = a + b;
                    output[outOffset + m + k] = a - b;
                }

                return;
            case 4:
                for (var k = 0; k < m; k++)
                {
                    var t = k * scale;
                    var a = output[outOffset + k];
                    var b = output[outOffset + m + k] * twiddles[t];
                    var c = output[outOffset + (2 * m) + k] * twiddles[2 * t];
                    var d = output[outOffset + (3 * m) + k] * twiddles[3 * t];
                    var ac = a + c;
                    var acMinus = a - c;
                    var bd = b + d;
                    var bdMinus = b - d;
                    var minusIBd = new Complex(bdMinus.Imaginary, -bdMinus.Real); // −i·(b − d)
                    output[outOffset + k] = ac + bd;
                    output[outOffset + m + k] = acMinus + minusIBd;
                    output[outOffset + (2 * m) + k] = ac - bd;
                    output[outOffset + (3 * m) + k] = acMinus - minusIBd;
                }

                return;
            case 5:
                for (var k = 0; k < m; k++)
                {
                    var t = k * scale;
                    var a0 = output[outOffset + k];
                    var a1 = output[outOffset + m + k] * twiddles[t];
                    var a2 = output[outOffset + (2 * m) + k] * twiddles[2 * t];
                    var a3 = output[outOffset + (3 * m) + k] * twiddles[3 * t];
                    var a4 = output[outOffset + (4 * m) + k] * twiddles[4 * t];
                    var t1 = a1 + a4;
                    var t2 = a2 + a3;
                    var t3 = a1 - a4;
                    var t4 = a2 - a3;
                    var b1 = a0 + (FftPlan.Cos1 * t1) + (FftPlan.Cos2 * t2);
                    var b2 = a0 + (FftPlan.Cos2 * t1) + (FftPlan.Cos1 * t2);
                    var e1 = (FftPlan.Sin1 * t3) + (FftPlan.Sin2 * t4);
                    var e2 = (FftPlan.Sin2 * t3) - (FftPlan.Sin1 * t4);
                    var d1 = new Complex(e1.Imaginary, -e1.Real); // −i·e1
                    var d2 = new Complex(e2.Imaginary, -e2.Real);
                    output[outOffset + k] = a0 + t1 + t2;
                    output[outOffset + m + k] = b1 + d1;
                    output[outOffset + (2 * m) + k] = b2 + d2;
                    output[outOffset + (3 * m) + k] = b2 - d2;
                    output[outOffset + (4 * m) + k] = b1 - d1;
                }

                return;
        }

        var rootStep = plan.Length / p; // e^(−2πi/p) in the table
        Span<Complex> column = stackalloc Complex[FftPlan.LargestRadix];
        for (var k = 0; k < m; k++)
        {
            for (var q = 0; q < p; q++)
            {
                var value = output[outOffset + (q * m) + k];
                column[q] = q == 0 ? value : value * twiddles[q * k * scale];
            }

            for (var r = 0; r < p; r++)
            {
                var sum = column[0];
                for (var q = 1; q < p; q++)
                {
                    sum += column[q] * twiddles[(q * r % p) * rootStep];
                }

                output[outOffset + (r * m) + k] = sum;
            }
        }
    }
}

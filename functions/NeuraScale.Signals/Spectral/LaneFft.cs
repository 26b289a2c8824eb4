using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuraScale.Signals.Spectral;

/// <summary>Four complex numbers, one per 256-bit lane: real parts together, imaginary parts together.</summary>
public readonly record struct Complex4(Vector256<double> Re, Vector256<double> Im);

/// <summary>
/// Four independent forward FFTs at once, one per lane of a 256-bit vector: the same mixed-radix transform as
/// <see cref="Fft"/> (same plan, twiddles and butterflies, every multiply and add in the same order, no fused
/// multiply-add), so each lane's result is bit-identical to <see cref="Fft.Forward"/> on that lane's sequence.
/// Only lengths with a plan (prime factors 2, 3, 5, 7); <see cref="Supports"/> says which.
/// </summary>
public static class LaneFft
{
    /// <summary>True when <paramref name="length"/> has a mixed-radix plan (prime factors 2, 3, 5 and 7 only).</summary>
    public static bool Supports(int length) => length > 1 && FftPlan.For(length) is not null;

    /// <summary>Transforms <paramref name="data"/> in place; <paramref name="scratch"/> holds at least as many values.</summary>
    /// <exception cref="ArgumentException">The length has no plan, or the scratch is too short.</exception>
    public static void Forward(Span<Complex4> data, Complex4[] scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        var n = data.Length;
        var plan = n > 1 ? FftPlan.For(n) : null;
        if (plan is null)
        {
            throw new ArgumentException($"A four-lane FFT needs a length above 1 whose prime factors are 2, 3, 5 or 7; got {n}.", nameof(data));
        }

        if (scratch.Length < n)
        {
            throw new ArgumentException($"The scratch holds {scratch.Length} values; the transform needs {n}.", nameof(scratch));
        }

        data.CopyTo(scratch);
        Transform(plan, scratch, 0, 1, data, 0, n, 0);
    }

    // Fully optimised from the first call (as the filter kernels): a Function's first invocation is often its only one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transform(FftPlan plan, Complex4[] input, int offset, int stride, Span<Complex4> output, int outOffset, int n, int level)
    {
        var p = plan.Factors[level];
        var m = n / p;
        for (var q = 0; q < p; q++)
        {
            if (m == 1)
            {
                output[outOffset + q] = input[offset + (q * stride)];
            }
            else
            {
                Transform(plan, input, offset + (q * stride), stride * p, output, outOffset + (q * m), m, level + 1);
            }
        }

        var scale = plan.Length / n;
        var twiddles = plan.Twiddles;
        switch (p)
        {
            case 2:
                for (var k = 0; k < m; k++)
                {
                    var a = output[outOffset + k];
                    var b = Twiddle(output[outOffset + m + k], twiddles[k * scale]);
                    output[outOffset + k] = Add(a, b);
                    output[outOffset + m + k] = Subtract(a, b);
                }

                return;
            case 4:
                for (var k = 0; k < m; k++)
                {
                    var t = k * scale;
                    var a = output[outOffset + k];
                    var b = Twiddle(output[outOffset + m + k], twiddles[t]);
                    var c = Twiddle(output[outOffset + (2 * m) + k], twiddles[2 * t]);
                    var d = Twiddle(output[outOffset + (3 * m) + k], twiddles[3 * t]);
                    var ac = Add(a, c);
                    var acMinus = Subtract(a, c);
                    var bd = Add(b, d);
                    var bdMinus = Subtract(b, d);
                    var minusIBd = MinusI(bdMinus);
                    output[outOffset + k] = Add(ac, bd);
                    output[outOffset + m + k] = Add(acMinus, minusIBd);
                    output[outOffset + (2 * m) + k] = Subtract(ac, bd);
                    output[outOffset + (3 * m) + k] = Subtract(acMinus, minusIBd);
                }

                return;
            case 5:
                var cos1 = Vector256.Create(FftPlan.Cos1);
                var cos2 = Vector256.Create(FftPlan.Cos2);
                var sin1 = Vector256.Create(FftPlan.Sin1);
                var sin2 = Vector256.Create(FftPlan.Sin2);
                for (var k = 0; k < m; k++)
                {
                    var t = k * scale;
                    var a0 = output[outOffset + k];
                    var a1 = Twiddle(output[outOffset + m + k], twiddles[t]);
                    var a2 = Twiddle(output[outOffset + (2 * m) + k], twiddles[2 * t]);
                    var a3 = Twiddle(output[outOffset + (3 * m) + k], twiddles[3 * t]);
                    var a4 = Twiddle(output[outOffset + (4 * m) + k], twiddles[4 * t]);
                    var t1 = Add(a1, a4);
                    var t2 = Add(a2, a3);
                    var t3 = Subtract(a1, a4);
                    var t4 = Subtract(a2, a3);
                    var b1 = Add(Add(a0, Scale(t1, cos1)), Scale(t2, cos2));
                    var b2 = Add(Add(a0, Scale(t1, cos2)), Scale(t2, cos1));
                    var e1 = Add(Scale(t3, sin1), Scale(t4, sin2));
                    var e2 = Subtract(Scale(t3, sin2), Scale(t4, sin1));
                    var d1 = MinusI(e1);
                    var d2 = MinusI(e2);
                    output[outOffset + k] = Add(Add(a0, t1), t2);
                    output[outOffset + m + k] = Add(b1, d1);
                    output[outOffset + (2 * m) + k] = Add(b2, d2);
                    output[outOffset + (3 * m) + k] = Subtract(b2, d2);
                    output[outOffset + (4 * m) + k] = Subtract(b1, d1);
                }

                return;
        }

        // Radix 3 and 7: a direct p-point DFT per column, as the scalar transform does it.
        var rootStep = plan.Length / p;
        Span<Complex4> column = stackalloc Complex4[FftPlan.LargestRadix];
        for (var k = 0; k < m; k++)
        {
            for (var q = 0; q < p; q++)
            {
                var value = output[outOffset + (q * m) + k];
                column[q] = q == 0 ? value : Twiddle(value, twiddles[q * k * scale]);
            }

            for (var r = 0; r < p; r++)
            {
                var sum = column[0];
                for (var q = 1; q < p; q++)
                {
                    sum = Add(sum, Twiddle(column[q], twiddles[(q * r % p) * rootStep]));
                }

                output[outOffset + (r * m) + k] = sum;
            }
        }
    }

    // System.Numerics.Complex's operators, lane by lane, in their order of operations.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Complex4 Twiddle(Complex4 a, System.Numerics.Complex w)
    {
        var wr = Vector256.Create(w.Real);
        var wi = Vector256.Create(w.Imaginary);
        return new Complex4((a.Re * wr) - (a.Im * wi), (a.Im * wr) + (a.Re * wi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Complex4 Add(Complex4 a, Complex4 b) => new(a.Re + b.Re, a.Im + b.Im);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Complex4 Subtract(Complex4 a, Complex4 b) => new(a.Re - b.Re, a.Im - b.Im);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Complex4 Scale(Complex4 a, Vector256<double> s) => new(a.Re * s, a.Im * s);

    /// <summary>−i·a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Complex4 MinusI(Complex4 a) => new(a.Im, -a.Re);
}

using System.Numerics;

namespace NeuraScale.Signals.Filters;

/// <summary>
/// Zeros, poles and gain to second-order sections, a port of <c>scipy.signal.zpk2sos(z, p, k, pairing='nearest')</c>
/// (SciPy 1.10): poles closest to the unit circle go last and each is paired with its nearest zero, which keeps
/// every section well conditioned. Following SciPy's order exactly is what makes our sections equal to SciPy's.
/// </summary>
public static class SosPairing
{
    /// <summary>Pairs the roots into sections; the gain goes into the first section's numerator.</summary>
    /// <exception cref="ArgumentException">Complex roots do not come in conjugate pairs.</exception>
    public static SecondOrderSections ToSections(ZeroPoleGain zpk)
    {
        ArgumentNullException.ThrowIfNull(zpk);
        if (zpk.Zeros.Length == 0 && zpk.Poles.Length == 0)
        {
            return new SecondOrderSections([zpk.Gain, 0, 0, 1, 0, 0]);
        }

        var p = zpk.Poles.Concat(Enumerable.Repeat(Complex.Zero, Math.Max(zpk.Zeros.Length - zpk.Poles.Length, 0))).ToList();
        var z = zpk.Zeros.Concat(Enumerable.Repeat(Complex.Zero, Math.Max(zpk.Poles.Length - zpk.Zeros.Length, 0))).ToList();
        var sectionCount = (Math.Max(p.Count, z.Count) + 1) / 2;
        if (p.Count % 2 == 1)
        {
            p.Add(Complex.Zero);
            z.Add(Complex.Zero);
        }

        // One root of each conjugate pair (upper half-plane) followed by the real roots, as scipy's _cplxreal does.
        z = ConjugatePairsThenReals(z);
        p = ConjugatePairsThenReals(p);

        var sos = new double[sectionCount * 6];
        for (var si = sectionCount - 1; si >= 0; si--)
        {
            var p1 = TakeAt(p, IndexClosestToUnitCircle(p));
            double[] section;
            if (IsReal(p1) && !p.Any(IsReal))
            {
                // The last remaining real pole: pair it with the nearest real zero.
                var z1 = TakeAt(z, Nearest(z, p1, Which.Real));
                section = Section([z1, Complex.Zero], [p1, Complex.Zero]);
            }
            else if (p.Count + 1 == z.Count && !IsReal(p1) && p.Count(IsReal) == 1 && z.Count(IsReal) == 1)
            {
                // One real pole and one real zero left with a complex pole: it must take a complex zero.
                var z1 = TakeAt(z, Nearest(z, p1, Which.Complex));
                section = Section([z1, Complex.Conjugate(z1)], [p1, Complex.Conjugate(p1)]);
            }
            else
            {
                Complex p2;
                if (IsReal(p1))
                {
                    var realIndices = Enumerable.Range(0, p.Count).Where(i => IsReal(p[i])).ToArray();
                    var worst = IndexClosestToUnitCircle(realIndices.Select(i => p[i]).ToList());
                    p2 = TakeAt(p, realIndices[worst]);
                }
                else
                {
                    p2 = Complex.Conjugate(p1);
                }

                if (z.Count > 0)
                {
                    var z1 = TakeAt(z, Nearest(z, p1, Which.Any));
                    if (!IsReal(z1))
                    {
                        section = Section([z1, Complex.Conjugate(z1)], [p1, p2]);
                    }
                    else if (z.Count > 0)
                    {
                        var z2 = TakeAt(z, Nearest(z, p1, Which.Real));
                        section = Section([z1, z2], [p1, p2]);
                    }
                    else
                    {
                        section = Section([z1], [p1, p2]);
                    }
                }
                else
                {
                    section = Section([], [p1, p2]);
                }
            }

            section.CopyTo(sos, si * 6);
        }

        for (var i = 0; i < 3; i++)
        {
            sos[i] *= zpk.Gain;
        }

        return new SecondOrderSections(sos);
    }

    private enum Which
    {
        Real,
        Complex,
        Any,
    }

    private static bool IsReal(Complex c) => c.Imaginary == 0;

    private static Complex TakeAt(List<Complex> roots, int index)
    {
        var root = roots[index];
        roots.RemoveAt(index);
        return root;
    }

    /// <summary>numpy argmin of |1 − |p||: the first root closest to the unit circle.</summary>
    private static int IndexClosestToUnitCircle(List<Complex> roots)
    {
        var best = 0;
        for (var i = 1; i < roots.Count; i++)
        {
            if (Math.Abs(1 - roots[i].Magnitude) < Math.Abs(1 - roots[best].Magnitude))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>scipy's _nearest_real_complex_idx: the nearest root to <paramref name="to"/> of the wanted kind.</summary>
    private static int Nearest(List<Complex> from, Complex to, Which which)
    {
        var order = Enumerable.Range(0, from.Count).OrderBy(i => (from[i] - to).Magnitude).ToArray();
        foreach (var i in order)
        {
            if (which == Which.Any || (which == Which.Real) == IsReal(from[i]))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"No {which.ToString().ToLowerInvariant()} root is left to pair; the roots are not a valid real filter.");
    }

    /// <summary>scipy's _cplxreal: conjugate pairs (averaged, upper half only) sorted by real part, then the reals.</summary>
    private static List<Complex> ConjugatePairsThenReals(List<Complex> roots)
    {
        const double tol = 100 * 2.220446049250313e-16; // numpy: 100 · finfo(float64).eps
        var sorted = roots.OrderBy(r => r.Real).ThenBy(r => Math.Abs(r.Imaginary)).ToList();
        var reals = sorted.Where(r => Math.Abs(r.Imaginary) <= tol * r.Magnitude).Select(r => new Complex(r.Real, 0)).ToList();
        var complex = sorted.Where(r => Math.Abs(r.Imaginary) > tol * r.Magnitude).ToList();
        var upper = complex.Where(r => r.Imaginary > 0).ToList();
        var lower = complex.Where(r => r.Imaginary < 0).ToList();
        if (upper.Count != lower.Count)
        {
            throw new ArgumentException("Complex roots must come in conjugate pairs for a real filter.", nameof(roots));
        }

        SortRunsOfEqualRealPart(upper, tol);
        SortRunsOfEqualRealPart(lower, tol);
        var pairs = new List<Complex>(upper.Count);
        for (var i = 0; i < upper.Count; i++)
        {
            if ((upper[i] - Complex.Conjugate(lower[i])).Magnitude > tol * lower[i].Magnitude)
            {
                throw new ArgumentException("Complex roots must come in conjugate pairs for a real filter.", nameof(roots));
            }

            pairs.Add((upper[i] + Complex.Conjugate(lower[i])) / 2);
        }

        return [.. pairs, .. reals];
    }

    /// <summary>Within runs of (nearly) equal real part, order by |imaginary part|, as _cplxreal does.</summary>
    private static void SortRunsOfEqualRealPart(List<Complex> half, double tol)
    {
        var start = 0;
        while (start < half.Count)
        {
            var stop = start;
            while (stop + 1 < half.Count && half[stop + 1].Real - half[stop].Real <= tol * half[stop].Magnitude)
            {
                stop++;
            }

            if (stop > start)
            {
                var run = half.GetRange(start, stop - start + 1).OrderBy(r => Math.Abs(r.Imaginary)).ToList();
                for (var i = 0; i < run.Count; i++)
                {
                    half[start + i] = run[i];
                }
            }

            start = stop + 1;
        }
    }

    /// <summary>scipy's _single_zpksos: b = poly(zeros), a = poly(poles), right-aligned in a 6-coefficient row.</summary>
    private static double[] Section(Complex[] zeros, Complex[] poles)
    {
        var row = new double[6];
        var b = Poly(zeros);
        var a = Poly(poles);
        for (var i = 0; i < b.Length; i++)
        {
            row[3 - b.Length + i] = b[i];
        }

        for (var i = 0; i < a.Length; i++)
        {
            row[6 - a.Length + i] = a[i];
        }

        return row;
    }

    /// <summary>numpy.poly: coefficients of Π(x − r), highest power first; real for real or conjugate roots.</summary>
    private static double[] Poly(Complex[] roots)
    {
        var c = new Complex[roots.Length + 1];
        c[0] = Complex.One;
        for (var k = 0; k < roots.Length; k++)
        {
            for (var j = k + 1; j >= 1; j--)
            {
                c[j] -= roots[k] * c[j - 1];
            }
        }

        return c.Select(x => x.Real).ToArray();
    }
}

using System.Numerics;

namespace NeuraScale.Signals.Filters;

/// <summary>
/// Digital Butterworth filters as second-order sections, designed the way <c>scipy.signal.butter(N, Wn, btype,
/// output='sos', fs=fs)</c> designs them: analog prototype, frequency pre-warping, low-pass to low/high/band-pass or
/// band-stop transform, bilinear transform, then <see cref="SosPairing"/> (scipy's <c>zpk2sos</c>, pairing
/// <c>'nearest'</c>). Coefficients agree with SciPy to rounding.
/// </summary>
public static class ButterworthDesign
{
    /// <summary>Lowest order accepted.</summary>
    public const int MinOrder = 1;

    /// <summary>Highest order accepted: above it, band filters lose precision even as sections.</summary>
    public const int MaxOrder = 10;

    /// <summary>Designs a Butterworth filter.</summary>
    /// <param name="order">Filter order N, <see cref="MinOrder"/>–<see cref="MaxOrder"/> (band filters have 2N poles).</param>
    /// <param name="kind">Band shape.</param>
    /// <param name="samplingRateHz">Sampling rate, &gt; 0.</param>
    /// <param name="lowHz">The cut-off for low/high-pass; the lower edge for band filters. 0 &lt; f &lt; Nyquist.</param>
    /// <param name="highHz">The upper edge for band filters (lowHz &lt; highHz &lt; Nyquist); ignored otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the ranges above; the message says which and what is allowed.</exception>
    public static SecondOrderSections Design(int order, FilterKind kind, double samplingRateHz, double lowHz, double highHz = double.NaN)
    {
        Validate(order, kind, samplingRateHz, lowHz, highHz);

        // scipy normalises to Nyquist (fs = 2) and pre-warps: 2·fs·tan(π·Wn/fs).
        const double fs = 2.0;
        var nyquist = samplingRateHz / 2;
        var warpedLow = 2 * fs * Math.Tan(Math.PI * (lowHz / nyquist) / fs);
        var prototype = AnalogPrototype(order);
        ZeroPoleGain analog;
        if (kind is FilterKind.LowPass or FilterKind.HighPass)
        {
            analog = kind == FilterKind.LowPass ? LowPassToLowPass(prototype, warpedLow) : LowPassToHighPass(prototype, warpedLow);
        }
        else
        {
            var warpedHigh = 2 * fs * Math.Tan(Math.PI * (highHz / nyquist) / fs);
            var bandwidth = warpedHigh - warpedLow;
            var centre = Math.Sqrt(warpedLow * warpedHigh);
            analog = kind == FilterKind.BandPass
                ? LowPassToBandPass(prototype, centre, bandwidth)
                : LowPassToBandStop(prototype, centre, bandwidth);
        }

        return SosPairing.ToSections(Bilinear(analog, fs));
    }

    /// <summary>Throws when a design parameter is out of range; public so tools can validate before reading data.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The problem <see cref="Check"/> finds.</exception>
    public static void Validate(int order, FilterKind kind, double samplingRateHz, double lowHz, double highHz)
    {
        if (Check(order, kind, samplingRateHz, lowHz, highHz) is { } problem)
        {
            throw new ArgumentOutOfRangeException(problem.Parameter, problem.ActualValue, problem.Problem);
        }
    }

    /// <summary>The first design parameter out of range, or null: the same checks and words as <see cref="Validate"/>.</summary>
    public static FilterProblem? Check(int order, FilterKind kind, double samplingRateHz, double lowHz, double highHz)
    {
        if (order < MinOrder || order > MaxOrder)
        {
            return new FilterProblem(nameof(order), order, $"order must be between {MinOrder} and {MaxOrder}.");
        }

        if (!(samplingRateHz > 0) || double.IsInfinity(samplingRateHz))
        {
            return new FilterProblem(nameof(samplingRateHz), samplingRateHz, "the sampling rate must be a positive number of Hz.");
        }

        var nyquist = samplingRateHz / 2;
        var first = kind is FilterKind.LowPass or FilterKind.HighPass ? "the cut-off" : "the low edge";
        if (!(lowHz > 0 && lowHz < nyquist))
        {
            return new FilterProblem(nameof(lowHz), lowHz, $"{first} must satisfy 0 < f < Nyquist ({nyquist:0.###} Hz at {samplingRateHz:0.###} Hz sampling).");
        }

        if (kind is FilterKind.BandPass or FilterKind.BandStop && !(highHz > lowHz && highHz < nyquist))
        {
            return new FilterProblem(nameof(highHz), highHz, $"the high edge must satisfy low edge ({lowHz:0.###} Hz) < f < Nyquist ({nyquist:0.###} Hz).");
        }

        return null;
    }

    /// <summary>scipy.signal.buttap: poles on the left half of the unit circle, no zeros, unit gain.</summary>
    private static ZeroPoleGain AnalogPrototype(int order)
    {
        var poles = new Complex[order];
        for (var i = 0; i < order; i++)
        {
            var m = -order + 1 + (2 * i);
            poles[i] = -Complex.Exp(Complex.ImaginaryOne * Math.PI * m / (2 * order));
        }

        return new ZeroPoleGain([], poles, 1.0);
    }

    private static ZeroPoleGain LowPassToLowPass(ZeroPoleGain lp, double wo)
    {
        var degree = lp.Poles.Length - lp.Zeros.Length;
        return new ZeroPoleGain(Scale(lp.Zeros, wo), Scale(lp.Poles, wo), lp.Gain * Math.Pow(wo, degree));
    }

    private static ZeroPoleGain LowPassToHighPass(ZeroPoleGain lp, double wo)
    {
        var degree = lp.Poles.Length - lp.Zeros.Length;
        var zeros = lp.Zeros.Select(z => wo / z).Concat(Enumerable.Repeat(Complex.Zero, degree)).ToArray();
        var poles = lp.Poles.Select(p => wo / p).ToArray();
        var gain = lp.Gain * (Product(lp.Zeros, z => -z) / Product(lp.Poles, p => -p)).Real;
        return new ZeroPoleGain(zeros, poles, gain);
    }

    private static ZeroPoleGain LowPassToBandPass(ZeroPoleGain lp, double wo, double bw)
    {
        var degree = lp.Poles.Length - lp.Zeros.Length;
        var zeros = SplitBand(Scale(lp.Zeros, bw / 2), wo).Concat(Enumerable.Repeat(Complex.Zero, degree)).ToArray();
        var poles = SplitBand(Scale(lp.Poles, bw / 2), wo);
        return new ZeroPoleGain(zeros, poles, lp.Gain * Math.Pow(bw, degree));
    }

    private static ZeroPoleGain LowPassToBandStop(ZeroPoleGain lp, double wo, double bw)
    {
        var degree = lp.Poles.Length - lp.Zeros.Length;
        var zerosHp = lp.Zeros.Select(z => bw / 2 / z).ToArray();
        var polesHp = lp.Poles.Select(p => bw / 2 / p).ToArray();
        var zeros = SplitBand(zerosHp, wo)
            .Concat(Enumerable.Repeat(new Complex(0, wo), degree))
            .Concat(Enumerable.Repeat(new Complex(0, -wo), degree))
            .ToArray();
        var poles = SplitBand(polesHp, wo);
        var gain = lp.Gain * (Product(lp.Zeros, z => -z) / Product(lp.Poles, p => -p)).Real;
        return new ZeroPoleGain(zeros, poles, gain);
    }

    /// <summary>Each root r becomes r ± √(r² − wo²): all "+" roots first, then all "−" roots, as scipy orders them.</summary>
    private static Complex[] SplitBand(Complex[] roots, double wo)
    {
        var plus = roots.Select(r => r + Complex.Sqrt((r * r) - (wo * wo)));
        var minus = roots.Select(r => r - Complex.Sqrt((r * r) - (wo * wo)));
        return plus.Concat(minus).ToArray();
    }

    /// <summary>scipy.signal.bilinear_zpk: s-plane to z-plane, missing zeros placed at Nyquist (z = −1).</summary>
    private static ZeroPoleGain Bilinear(ZeroPoleGain analog, double fs)
    {
        var degree = analog.Poles.Length - analog.Zeros.Length;
        var fs2 = 2.0 * fs;
        var zeros = analog.Zeros.Select(z => (fs2 + z) / (fs2 - z)).Concat(Enumerable.Repeat(new Complex(-1, 0), degree)).ToArray();
        var poles = analog.Poles.Select(p => (fs2 + p) / (fs2 - p)).ToArray();
        var gain = analog.Gain * (Product(analog.Zeros, z => fs2 - z) / Product(analog.Poles, p => fs2 - p)).Real;
        return new ZeroPoleGain(zeros, poles, gain);
    }

    private static Complex[] Scale(Complex[] roots, double factor) => roots.Select(r => r * factor).ToArray();

    private static Complex Product(Complex[] roots, Func<Complex, Complex> term)
    {
        var product = Complex.One;
        foreach (var r in roots)
        {
            product *= term(r);
        }

        return product;
    }
}

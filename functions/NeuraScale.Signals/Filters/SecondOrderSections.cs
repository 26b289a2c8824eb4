namespace NeuraScale.Signals.Filters;

/// <summary>
/// An IIR filter as a cascade of second-order sections, each row <c>[b0, b1, b2, 1, a1, a2]</c> as in SciPy's
/// <c>sos</c> arrays. Filtering is direct form II transposed, section by section, exactly as
/// <c>scipy.signal.sosfilt</c> computes it; <see cref="FilterZeroPhase"/> is <c>scipy.signal.sosfiltfilt</c>.
/// </summary>
public sealed class SecondOrderSections
{
    private readonly double[] _coefficients;

    /// <summary>Wraps coefficients laid out row by row, six per section; each row's a0 must be 1.</summary>
    /// <exception cref="ArgumentException">The length is not a positive multiple of 6 or some a0 is not 1.</exception>
    public SecondOrderSections(double[] coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Length == 0 || coefficients.Length % 6 != 0)
        {
            throw new ArgumentException($"Second-order sections need 6 coefficients per section; got {coefficients.Length}.", nameof(coefficients));
        }

        for (var s = 0; s < coefficients.Length / 6; s++)
        {
            if (coefficients[(s * 6) + 3] != 1.0)
            {
                throw new ArgumentException($"Section {s} has a0 = {coefficients[(s * 6) + 3]}; every section must be normalised to a0 = 1.", nameof(coefficients));
            }
        }

        _coefficients = coefficients;
    }

    /// <summary>Number of sections.</summary>
    public int SectionCount => _coefficients.Length / 6;

    /// <summary>Coefficient <paramref name="column"/> (0–5: b0 b1 b2 a0 a1 a2) of section <paramref name="section"/>.</summary>
    public double this[int section, int column] => _coefficients[(section * 6) + column];

    /// <summary>A copy of the coefficients, row by row (SciPy's sos array flattened).</summary>
    public double[] ToArray() => (double[])_coefficients.Clone();

    /// <summary>This filter followed by <paramref name="next"/>.</summary>
    public SecondOrderSections Then(SecondOrderSections next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new SecondOrderSections([.. _coefficients, .. next._coefficients]);
    }

    /// <summary>
    /// Samples of odd extension on each side for <see cref="FilterZeroPhase"/>: scipy's default
    /// <c>3 · (2·n_sections + 1 − min(#(b2 = 0), #(a2 = 0)))</c>.
    /// </summary>
    public int PadLength
    {
        get
        {
            int zeroB2 = 0, zeroA2 = 0;
            for (var s = 0; s < SectionCount; s++)
            {
                zeroB2 += this[s, 2] == 0 ? 1 : 0;
                zeroA2 += this[s, 5] == 0 ? 1 : 0;
            }

            return 3 * ((2 * SectionCount) + 1 - Math.Min(zeroB2, zeroA2));
        }
    }

    /// <summary>
    /// Filters <paramref name="input"/> into <paramref name="output"/> causally, continuing from and updating
    /// <paramref name="state"/> (2 values per section, scipy's <c>zi</c>/<c>zf</c>): calling this on consecutive
    /// pieces gives exactly the result of one call on the whole signal.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or <paramref name="state"/> is not 2 × <see cref="SectionCount"/>.</exception>
    public void Filter(ReadOnlySpan<double> input, Span<double> output, Span<double> state)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"output holds {output.Length} samples; {input.Length} are needed.", nameof(output));
        }

        if (state.Length != 2 * SectionCount)
        {
            throw new ArgumentException($"state must hold 2 values per section ({2 * SectionCount}); got {state.Length}.", nameof(state));
        }

        var c = _coefficients;
        var sections = SectionCount;
        for (var n = 0; n < input.Length; n++)
        {
            var x = input[n];
            for (var s = 0; s < sections; s++)
            {
                var k = s * 6;
                var y = (c[k] * x) + state[2 * s];
                state[2 * s] = (c[k + 1] * x) - (c[k + 4] * y) + state[(2 * s) + 1];
                state[(2 * s) + 1] = (c[k + 2] * x) - (c[k + 5] * y);
                x = y;
            }

            output[n] = x;
        }
    }

    /// <summary>
    /// Initial state for a step of unit height: the steady state each section settles to
    /// (<c>scipy.signal.sosfilt_zi</c>). Multiply by the first sample to start without a transient.
    /// </summary>
    public double[] SteadyStateForUnitStep()
    {
        var zi = new double[2 * SectionCount];
        var scale = 1.0;
        for (var s = 0; s < SectionCount; s++)
        {
            double b0 = this[s, 0], b1 = this[s, 1], b2 = this[s, 2], a1 = this[s, 4], a2 = this[s, 5];

            // lfilter_zi for one section: solve (I − companion(a)ᵀ)·zi = b[1:] − a[1:]·b0.
            var r0 = b1 - (a1 * b0);
            var r1 = b2 - (a2 * b0);
            var z0 = (r0 + r1) / (1 + a1 + a2);
            zi[2 * s] = scale * z0;
            zi[(2 * s) + 1] = scale * (r1 - (a2 * z0));
            scale *= (b0 + b1 + b2) / (1 + a1 + a2);
        }

        return zi;
    }

    /// <summary>
    /// Zero-phase filtering, forward then backward, equal to <c>scipy.signal.sosfiltfilt(sos, x)</c> with its defaults:
    /// odd extension of <see cref="PadLength"/> samples at each end and steady-state initial conditions. The
    /// magnitude response is squared (a Butterworth of order N acts with order 2N) and there is no delay.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not longer than <see cref="PadLength"/>, or output is too short.</exception>
    public void FilterZeroPhase(ReadOnlySpan<double> input, Span<double> output)
    {
        var pad = PadLength;
        if (input.Length <= pad)
        {
            throw new ArgumentException($"Zero-phase filtering needs more than {pad} samples (the padding length for {SectionCount} sections); got {input.Length}.", nameof(input));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException($"output holds {output.Length} samples; {input.Length} are needed.", nameof(output));
        }

        var extended = OddExtension(input, pad);
        var forward = new double[extended.Length];
        var unit = SteadyStateForUnitStep();
        var state = StartState(unit, extended[0]);
        Filter(extended, forward, state);

        Array.Reverse(forward);
        state = StartState(unit, forward[0]);
        var backward = new double[forward.Length];
        Filter(forward, backward, state);
        Array.Reverse(backward);
        backward.AsSpan(pad, input.Length).CopyTo(output);
    }

    /// <summary>
    /// Magnitude response at <paramref name="frequencyHz"/> in dB, 20·log10|H(e^{jω})| with ω = 2πf/fs (as
    /// <c>scipy.signal.sosfreqz</c>); doubled for zero-phase (forward-backward) application, which squares |H|.
    /// </summary>
    public double GainDb(double frequencyHz, double samplingRateHz, bool zeroPhase)
    {
        var w = 2 * Math.PI * frequencyHz / samplingRateHz;
        var z1 = System.Numerics.Complex.Exp(new System.Numerics.Complex(0, -w));
        var z2 = z1 * z1;
        var h = System.Numerics.Complex.One;
        for (var s = 0; s < SectionCount; s++)
        {
            h *= (this[s, 0] + (this[s, 1] * z1) + (this[s, 2] * z2)) / (this[s, 3] + (this[s, 4] * z1) + (this[s, 5] * z2));
        }

        var db = 20 * Math.Log10(Math.Max(h.Magnitude, 1e-300));
        return zeroPhase ? 2 * db : db;
    }

    /// <summary>scipy's odd_ext: <c>2·x[0] − x[pad..1]</c>, x, <c>2·x[^1] − x[^2..^(pad+1)]</c>.</summary>
    public static double[] OddExtension(ReadOnlySpan<double> input, int pad)
    {
        var n = input.Length;
        if (pad < 0 || pad >= n)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), pad, $"pad must be between 0 and {n - 1} for a signal of {n} samples.");
        }

        var extended = new double[n + (2 * pad)];
        OddExtensionLeft(input, extended.AsSpan(0, pad));
        input.CopyTo(extended.AsSpan(pad));
        OddExtensionRight(input, extended.AsSpan(pad + n, pad));
        return extended;
    }

    /// <summary>
    /// The part of scipy's odd extension before <c>x[0]</c>: <c>destination[i] = 2·x[0] − x[pad − i]</c> with pad =
    /// destination's length. <paramref name="input"/> needs at least pad + 1 samples (the start of a longer signal will do).
    /// </summary>
    /// <exception cref="ArgumentException">The input has pad samples or fewer.</exception>
    public static void OddExtensionLeft(ReadOnlySpan<double> input, Span<double> destination)
    {
        var pad = destination.Length;
        if (input.Length <= pad)
        {
            throw new ArgumentException($"An odd extension of {pad} samples needs at least {pad + 1} input samples; got {input.Length}.", nameof(input));
        }

        for (var i = 0; i < pad; i++)
        {
            destination[i] = (2 * input[0]) - input[pad - i];
        }
    }

    /// <summary>
    /// The part of scipy's odd extension after <c>x[^1]</c>: <c>destination[i] = 2·x[^1] − x[^(i + 2)]</c> with pad =
    /// destination's length. <paramref name="input"/> needs at least pad + 1 samples (the end of a longer signal will do).
    /// </summary>
    /// <exception cref="ArgumentException">The input has pad samples or fewer.</exception>
    public static void OddExtensionRight(ReadOnlySpan<double> input, Span<double> destination)
    {
        var pad = destination.Length;
        var n = input.Length;
        if (n <= pad)
        {
            throw new ArgumentException($"An odd extension of {pad} samples needs at least {pad + 1} input samples; got {n}.", nameof(input));
        }

        for (var i = 0; i < pad; i++)
        {
            destination[i] = (2 * input[n - 1]) - input[n - 2 - i];
        }
    }

    /// <summary>
    /// The state that starts the filter without a transient on a signal beginning at <paramref name="firstSample"/>:
    /// <see cref="SteadyStateForUnitStep"/> scaled by it (scipy's <c>zi * x[0]</c>).
    /// </summary>
    public static double[] StartState(double[] unitStepState, double firstSample) => unitStepState.Select(v => v * firstSample).ToArray();
}

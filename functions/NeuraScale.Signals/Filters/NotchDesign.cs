namespace NeuraScale.Signals.Filters;

/// <summary>Second-order IIR notch filters, as <c>scipy.signal.iirnotch(w0, Q, fs)</c> designs them.</summary>
public static class NotchDesign
{
    /// <summary>Default quality factor: a 50 Hz notch is then 1.67 Hz wide at −3 dB.</summary>
    public const double DefaultQuality = 30.0;

    /// <summary>The first parameter of <see cref="Notch"/> out of range, or null, in the words <see cref="Notch"/> throws.</summary>
    public static FilterProblem? Check(double frequencyHz, double quality, double samplingRateHz)
    {
        if (!(samplingRateHz > 0) || double.IsInfinity(samplingRateHz))
        {
            return new FilterProblem(nameof(samplingRateHz), samplingRateHz, "the sampling rate must be a positive number of Hz.");
        }

        if (!(frequencyHz > 0 && frequencyHz < samplingRateHz / 2))
        {
            return new FilterProblem(nameof(frequencyHz), frequencyHz, $"the notch frequency must satisfy 0 < f < Nyquist ({samplingRateHz / 2:0.###} Hz).");
        }

        if (!(quality > 0) || double.IsInfinity(quality))
        {
            return new FilterProblem(nameof(quality), quality, "the quality factor Q must be a positive number (30 is usual for line noise).");
        }

        return null;
    }

    /// <summary>One notch at <paramref name="frequencyHz"/>, as a single section.</summary>
    /// <param name="frequencyHz">Frequency to remove, 0 &lt; f &lt; Nyquist.</param>
    /// <param name="quality">Quality factor Q = f / (−3 dB bandwidth), &gt; 0.</param>
    /// <param name="samplingRateHz">Sampling rate, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the ranges above.</exception>
    public static SecondOrderSections Notch(double frequencyHz, double quality, double samplingRateHz)
    {
        if (Check(frequencyHz, quality, samplingRateHz) is { } problem)
        {
            throw new ArgumentOutOfRangeException(problem.Parameter, problem.ActualValue, problem.Problem);
        }

        // scipy.signal.iirnotch, step for step, so the coefficients round the same way.
        var w0 = 2 * frequencyHz / samplingRateHz;
        var bw = w0 / quality * Math.PI;
        w0 *= Math.PI;
        var gb = 1 / Math.Sqrt(2);
        var beta = Math.Sqrt(1.0 - Math.Pow(gb, 2.0)) / gb * Math.Tan(bw / 2.0);
        var gain = 1.0 / (1.0 + beta);
        return new SecondOrderSections([gain, gain * -2.0 * Math.Cos(w0), gain, 1.0, -2.0 * gain * Math.Cos(w0), (2.0 * gain) - 1.0]);
    }

    /// <summary>
    /// Notches at <paramref name="frequencyHz"/> and, when <paramref name="harmonics"/> is set, at every multiple
    /// below Nyquist (line noise has harmonics: 50, 100, 150 … Hz), each with the same Q.
    /// </summary>
    public static SecondOrderSections NotchWithHarmonics(double frequencyHz, double quality, double samplingRateHz, bool harmonics)
    {
        var filter = Notch(frequencyHz, quality, samplingRateHz);
        if (!harmonics)
        {
            return filter;
        }

        for (var k = 2; k * frequencyHz < samplingRateHz / 2; k++)
        {
            filter = filter.Then(Notch(k * frequencyHz, quality, samplingRateHz));
        }

        return filter;
    }

    /// <summary>The frequencies a notch with harmonics removes, ascending.</summary>
    public static IReadOnlyList<double> NotchFrequencies(double frequencyHz, double samplingRateHz, bool harmonics) =>
        harmonics
            ? Enumerable.Range(1, int.MaxValue).Select(k => k * frequencyHz).TakeWhile(f => f < samplingRateHz / 2).ToArray()
            : [frequencyHz];
}

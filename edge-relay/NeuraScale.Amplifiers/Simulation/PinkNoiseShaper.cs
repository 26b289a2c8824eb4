namespace NeuraScale.Amplifiers.Simulation;

/// <summary>
/// The EEG background as a pure function of the sample index: white Gaussian noise (a counter-based generator, so any
/// sample can be drawn directly) through a zero-phase FIR filter whose gain makes the one-sided power density
/// B²/f µV²/Hz from 0.5 Hz to min(120 Hz, 0.45·fs) — a continuous 1/f spectrum as real EEG has, without the comb of
/// lines and gaps a sum of sinusoids leaves. Designed by frequency sampling (inverse DFT of the wanted amplitude,
/// Hann-windowed), with taps spanning about 2 s so the 0.5 Hz edge is resolved; capped at 4097 taps for high rates.
/// </summary>
internal sealed class PinkNoiseShaper
{
    private const double LowHz = 0.5;
    private const int MaxTaps = 4097;

    private readonly double[] _taps;

    public PinkNoiseShaper(double samplingRateHz, double microvolts)
    {
        var half = Math.Min((MaxTaps - 1) / 2, (int)Math.Ceiling(samplingRateHz / LowHz));
        var length = (2 * half) + 1;
        var high = Math.Min(120, 0.45 * samplingRateHz);

        // Unit-variance white noise has one-sided density 2/fs; |H(f)|² · 2/fs = B²/f gives |H(f)| = B·√(fs / 2f).
        var amplitude = new double[half + 1];
        for (var k = 1; k <= half; k++)
        {
            var f = k * samplingRateHz / length;
            amplitude[k] = f >= LowHz && f <= high ? microvolts * Math.Sqrt(samplingRateHz / (2 * f)) : 0;
        }

        _taps = new double[length];
        for (var n = -half; n <= half; n++)
        {
            var sum = amplitude[0];
            for (var k = 1; k <= half; k++)
            {
                sum += 2 * amplitude[k] * Math.Cos(2 * Math.PI * k * n / length);
            }

            var window = 0.5 * (1 + Math.Cos(Math.PI * n / (half + 1)));
            _taps[n + half] = sum / length * window;
        }

        // The window narrows the band's edges a little; keep the background's total power what 1/f over the band gives.
        var wanted = microvolts * microvolts * Math.Log(high / LowHz);
        var actual = _taps.Sum(t => t * t);
        var scale = actual > 0 ? Math.Sqrt(wanted / actual) : 0;
        for (var i = 0; i < _taps.Length; i++)
        {
            _taps[i] *= scale;
        }
    }

    /// <summary>Samples of white noise each output sample reaches on either side.</summary>
    public int Reach => _taps.Length / 2;

    /// <summary>Taps applied to the white noise [index − Reach, index + Reach].</summary>
    public int Length => _taps.Length;

    /// <summary>
    /// One output sample from the white noise around it (<paramref name="white"/>[j] is sample index − Reach + j).
    /// A plain loop, so every caller sums in the same order and gets the same bits.
    /// </summary>
    public double Apply(ReadOnlySpan<double> white)
    {
        var sum = 0.0;
        for (var j = 0; j < _taps.Length; j++)
        {
            sum += _taps[j] * white[j];
        }

        return sum;
    }
}

using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Signals.Filters;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Tests.Unit;

public sealed class FilterDesignTests
{
    [Theory]
    [InlineData(0, FilterKind.LowPass, 30, double.NaN, "order must be between 1 and 10")]
    [InlineData(11, FilterKind.LowPass, 30, double.NaN, "order must be between 1 and 10")]
    [InlineData(4, FilterKind.LowPass, 0, double.NaN, "0 < f < Nyquist (125 Hz")]
    [InlineData(4, FilterKind.HighPass, 125, double.NaN, "0 < f < Nyquist (125 Hz")]
    [InlineData(4, FilterKind.BandPass, 30, 10, "low edge (30 Hz) < f < Nyquist")]
    [InlineData(4, FilterKind.BandStop, 48, 130, "< f < Nyquist (125 Hz")]
    public void Design_InvalidParameters_SaysWhatIsAllowed(int order, FilterKind kind, double low, double high, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => ButterworthDesign.Design(order, kind, 250, low, high));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notch_InvalidFrequency_SaysWhatIsAllowed()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NotchDesign.Notch(60, 30, 100));
        Assert.Contains("0 < f < Nyquist (50 Hz)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotchWithHarmonics_CoversEveryMultipleBelowNyquist()
    {
        Assert.Equal([50.0, 100.0, 150.0, 200.0], NotchDesign.NotchFrequencies(50, 500, harmonics: true));
        Assert.Equal(4, NotchDesign.NotchWithHarmonics(50, 30, 500, harmonics: true).SectionCount);
        Assert.Equal(1, NotchDesign.NotchWithHarmonics(50, 30, 500, harmonics: false).SectionCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void GainDb_ButterworthAtItsCutoff_IsHalfPower_AndSquaredWhenZeroPhase(int order)
    {
        var sos = ButterworthDesign.Design(order, FilterKind.LowPass, 500, 40);
        Assert.Equal(-3.0103, sos.GainDb(40, 500, zeroPhase: false), 3);
        Assert.Equal(-6.0206, sos.GainDb(40, 500, zeroPhase: true), 3);
        Assert.Equal(0, sos.GainDb(0, 500, zeroPhase: false), 9);
    }

    [Fact]
    public void GainDb_NotchAtItsFrequency_RemovesIt()
    {
        var notch = NotchDesign.Notch(50, 30, 1000);
        Assert.True(notch.GainDb(50, 1000, zeroPhase: false) < -100);
        Assert.Equal(-3.0103, notch.GainDb(50 + (50 / 30.0 / 2), 1000, zeroPhase: false), 1); // Q = f0 / −3 dB width
    }

    [Fact]
    public void Filter_InPieces_EqualsFilterInOneGo()
    {
        var sos = ButterworthDesign.Design(4, FilterKind.BandPass, 250, 1, 40);
        var x = Enumerable.Range(0, 1000).Select(i => Math.Sin(i * 0.1) + (i % 7)).ToArray();
        var whole = new double[x.Length];
        sos.Filter(x, whole, new double[2 * sos.SectionCount]);

        var pieces = new double[x.Length];
        var state = new double[2 * sos.SectionCount];
        sos.Filter(x.AsSpan(0, 333), pieces.AsSpan(0, 333), state);
        sos.Filter(x.AsSpan(333), pieces.AsSpan(333), state);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void FilterZeroPhase_SignalShorterThanPadding_SaysHowManySamplesAreNeeded()
    {
        var sos = ButterworthDesign.Design(4, FilterKind.LowPass, 250, 30);
        var ex = Assert.Throws<ArgumentException>(() => sos.FilterZeroPhase(new double[10], new double[10]));
        Assert.Contains($"more than {sos.PadLength} samples", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(60.0)]
    public void Notch_OnSimulatedEeg_RemovesTheLineAndKeepsAlpha(double line)
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 19, SamplingRateHz = 500, LineFrequencyHz = line, LineNoiseMicrovolts = 10, Seed = 3 });
        var o1 = amp.Device.Channels.ToList().FindIndex(c => c.Name == "O1");
        var x = Enumerable.Range(0, 30 * 500).Select(i => amp.Sample(o1, i)).ToArray();
        var y = new double[x.Length];
        NotchDesign.Notch(line, NotchDesign.DefaultQuality, 500).FilterZeroPhase(x, y);

        var (freqs, before) = Spectrum(x, 500);
        var (_, after) = Spectrum(y, 500);
        // The line itself, as one 1/30 Hz DFT bin: the 1/f background's continuous power around 50 Hz is no line to remove.
        var lineDb = 20 * Math.Log10(LineAmplitude(y, line, 500) / LineAmplitude(x, line, 500));
        var alphaDb = 10 * Math.Log10(SpectralMeasures.BandPower(freqs, after, 8, 12) / SpectralMeasures.BandPower(freqs, before, 8, 12));

        Assert.True(lineDb < -20, $"line attenuated by only {-lineDb:0.0} dB");
        Assert.True(Math.Abs(alphaDb) < 0.1, $"alpha changed by {alphaDb:0.00} dB");
    }

    private static double LineAmplitude(double[] x, double f, double fs)
    {
        var sum = System.Numerics.Complex.Zero;
        for (var n = 0; n < x.Length; n++)
        {
            sum += x[n] * System.Numerics.Complex.Exp(new System.Numerics.Complex(0, -2 * Math.PI * f * n / fs));
        }

        return 2 * sum.Magnitude / x.Length;
    }

    [Theory]
    [InlineData(9.0)]
    [InlineData(10.0)]
    [InlineData(11.3)]
    public void AlphaPeak_OnSimulatedEeg_IsTheConfiguredFrequency_AndStrongestOccipitally(double alpha)
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 19, SamplingRateHz = 250, AlphaFrequencyHz = alpha, Seed = 8 });
        var names = amp.Device.Channels.Select(c => c.Name).ToList();
        var alphaPower = new Dictionary<string, double>();
        foreach (var name in names)
        {
            var c = names.IndexOf(name);
            var (freqs, psd) = Spectrum(Enumerable.Range(0, 60 * 250).Select(i => amp.Sample(c, i)).ToArray(), 250);
            alphaPower[name] = SpectralMeasures.BandPower(freqs, psd, 8, 13);
            if (name is "O1" or "O2")
            {
                var peak = SpectralMeasures.PeakFrequency(freqs, psd, 7, 14);
                Assert.True(Math.Abs(peak - alpha) <= 0.5, $"{name}: alpha peak at {peak:0.00} Hz, configured {alpha} Hz");
            }
        }

        var strongest = alphaPower.OrderByDescending(p => p.Value).Take(2).Select(p => p.Key).Order().ToArray();
        Assert.Equal(["O1", "O2"], strongest);
    }

    private static (double[] Freqs, double[] Psd) Spectrum(double[] x, double fs)
    {
        var n = (int)(4 * fs);
        var psd = new double[Welch.BinCount(n)];
        Welch.Psd(x, fs, n, n / 2, PsdScaling.Density, psd);
        return (Welch.Frequencies(n, fs), psd);
    }
}

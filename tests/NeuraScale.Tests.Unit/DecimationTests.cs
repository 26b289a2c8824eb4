using NeuraScale.Signals;

namespace NeuraScale.Tests.Unit;

public class DecimationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void AntiAliasTaps_AreSymmetricWithUnitDcGain(int factor)
    {
        var taps = Decimation.AntiAliasTaps(factor);

        Assert.Equal((20 * factor) + 1, taps.Length);
        Assert.Equal(1.0, taps.Sum(), 12);
        for (var i = 0; i < taps.Length; i++)
        {
            Assert.Equal(taps[i], taps[^(i + 1)], 15);
        }
    }

    [Fact]
    public void FilterAndDownsample_EqualsDirectConvolutionWithZeroPadding()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 517).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var taps = Decimation.AntiAliasTaps(3);
        var half = (taps.Length - 1) / 2;
        var output = new double[(x.Length + 2) / 3];

        Decimation.FilterAndDownsample(x, taps, 0, 3, output);

        for (var k = 0; k < output.Length; k++)
        {
            var expected = 0.0;
            for (var j = 0; j < taps.Length; j++)
            {
                var n = (k * 3) + half - j;
                expected += n >= 0 && n < x.Length ? taps[j] * x[n] : 0;
            }

            Assert.Equal(expected, output[k], 12);
        }
    }

    [Fact]
    public void Decimate_KeepsPassbandAndRemovesWhatWouldAlias()
    {
        const double fs = 1000;
        const int factor = 4; // new Nyquist 125 Hz
        var n = 4000;
        var slow = Enumerable.Range(0, n).Select(i => Math.Sin(2 * Math.PI * 10 * i / fs)).ToArray();
        var fast = Enumerable.Range(0, n).Select(i => Math.Sin(2 * Math.PI * 200 * i / fs)).ToArray();
        var taps = Decimation.AntiAliasTaps(factor);
        var outSlow = new double[n / factor];
        var outFast = new double[n / factor];

        Decimation.FilterAndDownsample(slow, taps, 0, factor, outSlow);
        Decimation.FilterAndDownsample(fast, taps, 0, factor, outFast);

        // Away from the edges (where zeros stand in for missing signal):
        var middle = Enumerable.Range(100, (n / factor) - 200).ToArray();
        // Hamming passband ripple is about 0.02 dB: within 0.5 % of the input.
        Assert.All(middle, k => Assert.InRange(outSlow[k] - slow[k * factor], -0.005, 0.005));
        var residual = Math.Sqrt(middle.Average(k => outFast[k] * outFast[k])) / Math.Sqrt(0.5);
        Assert.True(20 * Math.Log10(residual) < -40, $"200 Hz attenuated by only {20 * Math.Log10(residual):0.0} dB");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1001)]
    public void AntiAliasTaps_FactorOutOfRange_Throws(int factor)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Decimation.AntiAliasTaps(factor));
        Assert.Contains("2–1000", ex.Message, StringComparison.Ordinal);
    }
}

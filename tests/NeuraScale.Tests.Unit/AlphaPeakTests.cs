using NeuraScale.Signals.Spectral;

namespace NeuraScale.Tests.Unit;

/// <summary>The alpha peak over the aperiodic trend: a real bump is found with its height; a slope has no peak.</summary>
public class AlphaPeakTests
{
    private static readonly double[] Frequencies = Enumerable.Range(0, 241).Select(k => k * 0.25).ToArray(); // 0–60 Hz

    private static double[] OneOverF(double exponent) => Frequencies.Select(f => f == 0 ? 1000 : 100 * Math.Pow(f, -exponent)).ToArray();

    [Fact]
    public void GaussianBumpOnOneOverF_IsFound_AtItsFrequency_WithItsHeightOverTheTrend()
    {
        var psd = OneOverF(1.5);
        for (var k = 0; k < psd.Length; k++)
        {
            psd[k] *= 1 + (9 * Math.Exp(-Math.Pow(Frequencies[k] - 10.1, 2) / (2 * 0.8 * 0.8))); // 10× the trend at 10.1 Hz
        }

        var peak = SpectralMeasures.PeakAboveAperiodic(Frequencies, psd, 7, 14, 2, 40);

        Assert.NotNull(peak);
        // The product of bump and slope peaks slightly below the bump's centre: 10.1 − σ²·1.5/f·g/(1+g) ≈ 10.01 Hz.
        Assert.InRange(peak.Value.FrequencyHz, 9.9, 10.15);
        Assert.InRange(peak.Value.Prominence, 9, 11);
    }

    [Fact]
    public void FallingSlope_HasNoPeak_ItsRangeEdgeIsNotOne()
    {
        var psd = OneOverF(1.2);

        Assert.Null(SpectralMeasures.PeakAboveAperiodic(Frequencies, psd, 7, 14, 2, 40));
        Assert.Equal(7.0, SpectralMeasures.PeakFrequency(Frequencies, psd, 7, 14)); // what a plain maximum would have said
    }

    [Fact]
    public void TooFewBinsToFitTheTrend_IsAParameterError()
    {
        var ex = Assert.Throws<NeuraScale.Signals.SignalParameterException>(() => SpectralMeasures.PeakAboveAperiodic(Frequencies.AsSpan(0, 30), OneOverF(1).AsSpan(0, 30), 7, 14, 6.5, 7.25));
        Assert.Contains("needs at least 3", ex.Problem, StringComparison.Ordinal);
    }
}

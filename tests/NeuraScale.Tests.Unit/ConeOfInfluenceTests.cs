using NeuraScale.Domain;
using NeuraScale.Processing.Analysis;

namespace NeuraScale.Tests.Unit;

/// <summary>Time–frequency maxima come from the data, not from the wavelets running off the ends of the window.</summary>
public sealed class ConeOfInfluenceTests
{
    [Fact]
    public void AnOffsetDrift_WouldPutTheMaximumAtTheEdge_TheConeOfInfluenceKeepsItInside()
    {
        const double Fs = 250;
        var x = Enumerable.Range(0, (int)(6 * Fs)).Select(i => 150 + (20 * i / Fs) + (5 * Math.Sin(2 * Math.PI * 10 * i / Fs))).ToArray();
        var input = new AnalysisInput(SessionId.New(), [new ChannelInfo("O1", ChannelType.EEG, "uV")], [x], Fs, 0, []);

        var (result, power, times, valid) = TimeFrequencyAnalysis.Run(input, new TimeFrequencyOptions { AroundEvents = false, Baseline = null });

        // Without the mask the largest power is the zero-padded step at an end of the window.
        var (k0, t0) = Enumerable.Range(0, power[0].Length).SelectMany(k => Enumerable.Range(0, times.Length).Select(t => (k, t))).MaxBy(p => power[0][p.k][p.t]);
        Assert.True(Math.Min(times[t0], 6 - (1 / Fs) - times[t0]) < result.ConeOfInfluenceS[k0], $"unmasked maximum at {times[t0]} s");

        // With it, the peak is the 10 Hz rhythm inside the window, outside every frequency's cone.
        var k = result.FrequenciesHz.ToList().IndexOf(result.Peak.FrequencyHz);
        Assert.InRange(result.Peak.TimeS, result.ConeOfInfluenceS[k], 6 - result.ConeOfInfluenceS[k]);
        Assert.Equal(Math.Sqrt(2) * 1.5 / (2 * Math.PI * 3), result.ConeOfInfluenceS[0], 1e-6); // 3 Hz, n_cycles 1.5
        Assert.All(valid, row => Assert.False(row[0]));
    }
}

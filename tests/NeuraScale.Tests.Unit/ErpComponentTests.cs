using NeuraScale.Processing.Analysis;

namespace NeuraScale.Tests.Unit;

/// <summary>Component peak search: the component's window, polarity and sites; a maximum at a window's edge is no peak.</summary>
public sealed class ErpComponentTests
{
    private static readonly double[] Times = Enumerable.Range(0, 251).Select(i => -0.2 + (i / 250.0)).ToArray(); // −0.2…0.8 s at 250 Hz

    private static double[] Wave(Func<double, double> f) => Times.Select(f).ToArray();

    private static double Bump(double t, double at, double width, double amplitude) => amplitude * Math.Exp(-0.5 * Math.Pow((t - at) / width, 2));

    [Fact]
    public void P300_IsFoundAtItsParietalSite_NotAtALargerFrontalDeflectionAtTheEpochsEnd()
    {
        string[] names = ["Fp2", "Fz", "Cz", "Pz"];
        var noise = new Random(3);
        double[][] evoked =
        [
            Wave(t => (60 * Math.Max(0, t - 0.6)) / 0.2 + (0.5 * noise.NextDouble())), // Fp2: a drift to +60 µV at the last sample
            Wave(t => Bump(t, 0.3, 0.05, 4) + (0.5 * noise.NextDouble())),
            Wave(t => Bump(t, 0.3, 0.05, 8) - Bump(t, 0.1, 0.015, 5) + (0.5 * noise.NextDouble())),
            Wave(t => Bump(t, 0.304, 0.05, 12) + (0.5 * noise.NextDouble())),
        ];

        var p300 = ErpComponents.Seek(ErpComponents.Find("P300")!, evoked, Times, names);
        var n100 = ErpComponents.Seek(ErpComponents.Find("n100")!, evoked, Times, names);

        Assert.True(p300.Found);
        Assert.Equal("Pz", p300.Channel);
        Assert.InRange(p300.LatencyS!.Value, 0.296, 0.312);
        Assert.True(p300.Snr > 10);
        Assert.True(n100.Found);
        Assert.Equal("Cz", n100.Channel);
        Assert.True(n100.AmplitudeUv < -3);
        Assert.Equal(["Cz", "Fz"], n100.Channels);
        Assert.Equal("P300", ErpComponents.Headline([p300, n100])!.Name);
    }

    [Fact]
    public void AMaximumAtTheWindowsEdge_IsNoPeak()
    {
        // A slope rising through the whole P300 window on every site: its largest value is the window's last sample.
        string[] names = ["Pz", "Cz"];
        double[][] evoked = [Wave(t => 20 * t), Wave(t => 10 * t)];

        var p300 = ErpComponents.Seek(ErpComponents.Find("P300")!, evoked, Times, names);

        Assert.False(p300.Found);
        Assert.Null(p300.Channel);
        Assert.Contains("at the window's edge", p300.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void AMaximumBelowZero_IsNoPositiveComponent()
    {
        // A dip with a small bump inside it: a local maximum, but the signal stays negative — no P300.
        string[] names = ["Pz"];
        double[][] evoked = [Wave(t => -Bump(t, 0.35, 0.1, 10) + Bump(t, 0.35, 0.02, 2))];

        var p300 = ErpComponents.Seek(ErpComponents.Find("P300")!, evoked, Times, names);

        Assert.False(p300.Found);
        Assert.Contains("wrong side of zero", p300.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutItsUsualSites_EveryChannelIsSearched_AndTheNoteSaysSo()
    {
        string[] names = ["O1", "O2"];
        double[][] evoked = [Wave(t => Bump(t, 0.35, 0.05, 6)), Wave(t => Bump(t, 0.35, 0.05, 3))];

        var p300 = ErpComponents.Seek(ErpComponents.Find("P300")!, evoked, Times, names);

        Assert.True(p300.Found);
        Assert.Equal("O1", p300.Channel);
        Assert.Contains("every channel was searched", p300.Note, StringComparison.Ordinal);
    }
}

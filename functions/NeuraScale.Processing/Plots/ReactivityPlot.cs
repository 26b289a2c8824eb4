using NeuraScale.Processing.Reports;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// Alpha reactivity: alpha band power per channel with eyes closed beside eyes open (log axis, so a 10× drop reads the
/// same on a strong and a weak channel). With many channels, the posterior ones and those with most alpha are shown.
/// </summary>
public static class ReactivityPlot
{
    /// <summary>Most channels drawn, so their names stay readable.</summary>
    public const int MaxChannels = 16;

    private static readonly Color Closed = Colors.SteelBlue;
    private static readonly Color Open = Colors.Orange;

    public static byte[] Render(ReactivitySection reactivity, string recording)
    {
        var shown = reactivity.Channels
            .OrderByDescending(c => reactivity.PosteriorChannels.Contains(c.Channel))
            .ThenByDescending(c => c.EyesClosedAlphaUv2)
            .Take(MaxChannels)
            .ToHashSet();
        var channels = reactivity.Channels.Where(shown.Contains).ToArray();
        var plot = PlotStyle.New(
            $"Alpha reactivity ({reactivity.BandLowHz:0.#}–{reactivity.BandHighHz:0.#} Hz), eyes closed vs eyes open",
            "Channel",
            "Alpha band power (µV², log scale)",
            $"Welch PSD integrated over the alpha band; eyes closed {reactivity.EyesClosedSeconds:0} s, eyes open {reactivity.EyesOpenSeconds:0} s",
            recording);
        var floor = channels.SelectMany(c => new[] { c.EyesClosedAlphaUv2, c.EyesOpenAlphaUv2 }).Where(v => v > 0).DefaultIfEmpty(1e-3).Min();
        var bars = new List<Bar>();
        for (var i = 0; i < channels.Length; i++)
        {
            bars.Add(new Bar { Position = (i * 3) + 0.5, Value = Math.Log10(Math.Max(channels[i].EyesClosedAlphaUv2, floor)), ValueBase = Math.Log10(floor) - 0.2, FillColor = Closed, LineWidth = 0, Size = 1 });
            bars.Add(new Bar { Position = (i * 3) + 1.5, Value = Math.Log10(Math.Max(channels[i].EyesOpenAlphaUv2, floor)), ValueBase = Math.Log10(floor) - 0.2, FillColor = Open, LineWidth = 0, Size = 1 });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(channels.Select((_, i) => (i * 3) + 1.0).ToArray(), channels.Select(c => c.Channel).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = channels.Length > 8 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = channels.Length > 8 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        PlotStyle.LogAxis(plot.Axes.Left);
        var top = bars.Max(b => b.Value);
        plot.Axes.SetLimits(-0.5, (channels.Length * 3) - 0.5, Math.Log10(floor) - 0.2, top + 0.3);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Eyes closed", FillColor = Closed });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Eyes open", FillColor = Open });
        plot.ShowLegend(Edge.Right);
        return PlotStyle.Png(plot);
    }
}

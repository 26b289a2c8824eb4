using NeuraScale.Processing.Analysis;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>PSD per channel on a log axis, with the frequency bands shaded and each channel's alpha peak marked.</summary>
public static class SpectrumPlot
{
    private static readonly Color[] BandColors = [Colors.SteelBlue, Colors.SeaGreen, Colors.Orange, Colors.OrangeRed, Colors.MediumPurple, Colors.Gray];

    public static byte[] Render(SpectralResult result, double[] frequencies, double[][] psd, double fminHz, double fmaxHz, string title)
    {
        var plot = PlotStyle.New(title, "Frequency (Hz)", "PSD (" + result.PsdUnit + ", log scale)");
        var from = Array.FindIndex(frequencies, f => f >= fminHz && f > 0);
        var to = Array.FindLastIndex(frequencies, f => f <= fmaxHz);
        var xs = frequencies[from..(to + 1)];
        var floor = psd.SelectMany(p => p[from..(to + 1)]).Where(v => v > 0).DefaultIfEmpty(1e-12).Min();
        var logs = psd.Select(p => p[from..(to + 1)].Select(v => Math.Log10(Math.Max(v, floor))).ToArray()).ToArray();
        var top = logs.Max(l => l.Max());
        var bottom = logs.Min(l => l.Min());
        var range = Math.Max(top - bottom, 1e-6);

        for (var b = 0; b < result.Bands.Count; b++)
        {
            var band = result.Bands[b];
            var color = BandColors[b % BandColors.Length];
            var span = plot.Add.HorizontalSpan(band.LowHz, band.HighHz, color.WithAlpha(0.12));
            span.LineWidth = 0;
            var label = plot.Add.Text(band.Name, (band.LowHz + band.HighHz) / 2, top + (0.1 * range));
            label.LabelFontSize = 12;
            label.LabelFontColor = color.Darken(0.3);
            label.LabelAlignment = Alignment.MiddleCenter;
        }

        for (var c = 0; c < logs.Length; c++)
        {
            var color = PlotStyle.ChannelColor(c, logs.Length);
            var line = plot.Add.ScatterLine(xs, logs[c], color);
            line.LineWidth = 1.5f;
            line.LegendText = result.Channels[c].Channel;
            if (result.Channels[c].PeakAlphaHz is { } peak && peak >= xs[0] && peak <= xs[^1])
            {
                var index = Array.BinarySearch(xs, peak);
                index = index < 0 ? Math.Min(~index, xs.Length - 1) : index;
                plot.Add.Marker(peak, logs[c][index], MarkerShape.FilledCircle, 7, color);
            }
        }

        PlotStyle.LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(xs[0], xs[^1], bottom - (0.05 * range), top + (0.16 * range));
        if (logs.Length <= 16)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        return PlotStyle.Png(plot);
    }
}

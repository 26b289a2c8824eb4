using System.Globalization;
using NeuraScale.Processing.Analysis;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// PSD per channel on a log axis, frequency bands shaded, alpha peaks marked. Up to eight channels are drawn in
/// colour; with more it is a butterfly: every channel grey, the eight with the most alpha power in colour.
/// </summary>
public static class SpectrumPlot
{
    private static readonly Color[] BandColors = [Colors.SteelBlue, Colors.SeaGreen, Colors.Orange, Colors.OrangeRed, Colors.MediumPurple, Colors.Gray];

    public static byte[] Render(SpectralResult result, double[] frequencies, double[][] psd, double fminHz, double fmaxHz, string recording)
    {
        var highlighted = Highlighted(result);
        var names = result.Channels.Select(c => c.Channel).ToArray();
        var plot = PlotStyle.New(
            $"Power spectral density, {PlotStyle.Describe(names)}",
            "Frequency (Hz)",
            $"PSD ({result.PsdUnit}, log scale)",
            string.Create(CultureInfo.InvariantCulture, $"Welch, {result.FrequencyResolutionHz:0.###} Hz resolution; dots: alpha peaks above the 1/f trend"),
            recording);
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

        // Grey first, so the highlighted channels are drawn over them.
        foreach (var c in Enumerable.Range(0, logs.Length).Where(c => !highlighted.Contains(c)))
        {
            plot.Add.ScatterLine(xs, logs[c], PlotStyle.Background).LineWidth = 1;
        }

        for (var h = 0; h < highlighted.Count; h++)
        {
            var c = highlighted[h];
            var color = PlotStyle.ChannelColor(h);
            plot.Add.ScatterLine(xs, logs[c], color).LineWidth = 1.8f;
            if (result.Channels[c].PeakAlphaHz is { } peak && peak >= xs[0] && peak <= xs[^1])
            {
                var index = Array.BinarySearch(xs, peak);
                index = index < 0 ? Math.Min(~index, xs.Length - 1) : index;
                plot.Add.Marker(peak, logs[c][index], MarkerShape.FilledCircle, 7, color);
            }
        }

        PlotStyle.LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(xs[0], xs[^1], bottom - (0.05 * range), top + (0.16 * range));
        PlotStyle.Legend(plot, highlighted.Select((c, h) => (names[c], PlotStyle.ChannelColor(h))), logs.Length - highlighted.Count);
        return PlotStyle.Png(plot);
    }

    /// <summary>Every channel when there are few; otherwise those with the most alpha power (where a reader looks first).</summary>
    private static List<int> Highlighted(SpectralResult result) =>
        Enumerable.Range(0, result.Channels.Count)
            .OrderByDescending(c => result.Channels.Count <= PlotStyle.MaxHighlighted ? -c : result.Channels[c].BandPowerUv2.GetValueOrDefault("alpha"))
            .Take(PlotStyle.MaxHighlighted)
            .Order()
            .ToList();
}

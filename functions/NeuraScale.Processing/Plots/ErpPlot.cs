using System.Globalization;
using NeuraScale.Processing.Analysis;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>Butterfly plot of one condition's evoked response: every channel, event at 0, the largest peak marked.</summary>
public static class ErpPlot
{
    public static byte[] Render(double[] times, ErpAnalysis.Waveforms wave, IReadOnlyList<string> channels, string title)
    {
        var plot = PlotStyle.New(title, "Time after event (s)", "Amplitude (µV)");
        plot.Add.VerticalLine(0, 1, Colors.Black.WithAlpha(0.6), LinePattern.Dashed);
        plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.4));
        var peakChannel = channels.ToList().IndexOf(wave.Peak.Channel);

        // The standard error band of the peak channel, behind the lines.
        var upper = wave.Evoked[peakChannel].Zip(wave.StandardError[peakChannel], (m, e) => m + e).ToArray();
        var lower = wave.Evoked[peakChannel].Zip(wave.StandardError[peakChannel], (m, e) => m - e).ToArray();
        var band = plot.Add.FillY(times, upper, lower);
        band.FillColor = PlotStyle.ChannelColor(peakChannel, channels.Count).WithAlpha(0.2);
        band.LineWidth = 0;

        for (var c = 0; c < channels.Count; c++)
        {
            var line = plot.Add.ScatterLine(times, wave.Evoked[c], PlotStyle.ChannelColor(c, channels.Count));
            line.LineWidth = c == peakChannel ? 2.5f : 1.2f;
            line.LegendText = channels[c];
        }

        var peak = wave.Peak;
        plot.Add.Marker(peak.LatencyS, peak.AmplitudeUv, MarkerShape.FilledCircle, 10, Colors.Black);
        var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{peak.Channel} {peak.LatencyS * 1000:0} ms, {peak.AmplitudeUv:0.0} µV"), peak.LatencyS, peak.AmplitudeUv);
        label.LabelFontSize = 13;
        label.LabelBold = true;
        label.LabelAlignment = peak.AmplitudeUv >= 0 ? Alignment.LowerLeft : Alignment.UpperLeft;
        label.OffsetX = 8;
        plot.Axes.SetLimitsX(times[0], times[^1]);
        if (channels.Count <= 16)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        return PlotStyle.Png(plot);
    }
}

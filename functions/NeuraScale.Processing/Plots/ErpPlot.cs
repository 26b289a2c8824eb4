using System.Globalization;
using NeuraScale.Processing.Analysis;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// Butterfly plot of one condition's evoked response: every channel, the event at 0, each component found above the
/// noise marked at its channel. With more than eight channels the rest are grey; in colour are the channels where the components are.
/// The headline channel's standard error is shaded.
/// </summary>
public static class ErpPlot
{
    public static byte[] Render(double[] times, ErpAnalysis.Waveforms wave, IReadOnlyList<ErpComponentPeak> components, IReadOnlyList<string> channels, string recording, string method)
    {
        var plot = PlotStyle.New($"Evoked response to '{wave.Label}' (n = {wave.NEpochs}), {PlotStyle.Describe(channels)}", "Time after event (s)", "Amplitude (µV)", method, recording);
        plot.Add.VerticalLine(0, 1, Colors.Black.WithAlpha(0.6), LinePattern.Dashed);
        plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.4));
        var names = channels.ToList();
        // Components that stand out of the noise; weak ones are in the result, but a label would present noise as a finding.
        var found = components.Where(c => c.Found && c.Snr is not < ErpComponents.MinSnr).ToArray();
        var highlighted = new[] { wave.Peak.Channel }.Concat(found.Select(c => c.Channel!)).Concat(channels.Count <= PlotStyle.MaxHighlighted ? channels : [])
            .Distinct().Take(PlotStyle.MaxHighlighted).Select(name => names.IndexOf(name)).Order().ToList();
        Color ColorOf(int channel) => highlighted.Contains(channel) ? PlotStyle.ChannelColor(highlighted.IndexOf(channel)) : PlotStyle.Background;

        var peakChannel = names.IndexOf(wave.Peak.Channel);
        var upper = wave.Evoked[peakChannel].Zip(wave.StandardError[peakChannel], (m, e) => m + e).ToArray();
        var lower = wave.Evoked[peakChannel].Zip(wave.StandardError[peakChannel], (m, e) => m - e).ToArray();
        var band = plot.Add.FillY(times, upper, lower);
        band.FillColor = ColorOf(peakChannel).WithAlpha(0.2);
        band.LineWidth = 0;

        foreach (var c in Enumerable.Range(0, channels.Count).OrderBy(highlighted.Contains))
        {
            plot.Add.ScatterLine(times, wave.Evoked[c], ColorOf(c)).LineWidth = highlighted.Contains(c) ? (c == peakChannel ? 2.5f : 1.8f) : 1f;
        }

        foreach (var component in found)
        {
            var color = ColorOf(names.IndexOf(component.Channel!));
            plot.Add.Marker(component.LatencyS!.Value, component.AmplitudeUv!.Value, MarkerShape.FilledCircle, 9, color.Darken(0.2));
            var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{component.Name} {component.LatencyS * 1000:0} ms"), component.LatencyS!.Value, component.AmplitudeUv!.Value);
            label.LabelFontSize = 12;
            label.LabelBold = true;
            label.LabelFontColor = color.Darken(0.4);
            label.LabelAlignment = component.AmplitudeUv >= 0 ? Alignment.LowerCenter : Alignment.UpperCenter;
            label.OffsetY = component.AmplitudeUv >= 0 ? -6 : 6;
        }

        plot.Axes.SetLimitsX(times[0], times[^1]);
        PlotStyle.Legend(plot, highlighted.Select(c => (channels[c], ColorOf(c))), channels.Count - highlighted.Count);
        return PlotStyle.Png(plot);
    }
}

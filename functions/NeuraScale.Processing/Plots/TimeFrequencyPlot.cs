using System.Globalization;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// Time-frequency heat map of one channel, with the event (t = 0) marked and a colour bar in the power unit. Points in
/// the wavelets' cone of influence are grey and left out of the colour scale, so edge effects neither show as
/// activity nor compress the scale of what is real.
/// </summary>
public static class TimeFrequencyPlot
{
    public static byte[] Render(double[][] power, bool[][] valid, IReadOnlyList<double> frequencies, IReadOnlyList<double> times, string unit, bool diverging, string title, string recording, string method)
    {
        var plot = PlotStyle.New(title, "Time (s)", "Frequency (Hz)", method, recording);
        var rows = frequencies.Count;
        var cells = new double[rows, times.Count];
        for (var k = 0; k < rows; k++)
        {
            for (var t = 0; t < times.Count; t++)
            {
                cells[rows - 1 - k, t] = valid[k][t] ? power[k][t] : double.NaN; // row 0 is drawn at the top: highest frequency first
            }
        }

        var step = times.Count > 1 ? times[1] - times[0] : 1;
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Rectangle = new CoordinateRect(times[0] - (step / 2), times[^1] + (step / 2), -0.5, rows - 0.5); // outer cell edges
        heatmap.Colormap = diverging ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        var shown = cells.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        if (diverging)
        {
            // Symmetric limits so that "no change from baseline" sits in the middle of the colour scale.
            var limit = shown.Select(Math.Abs).Max();
            heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        }
        else
        {
            heatmap.ManualRange = new ScottPlot.Range(shown.Min(), shown.Max());
        }

        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = unit;

        // Rows are frequencies in the order given (not necessarily evenly spaced), so label them by value.
        var every = Math.Max(1, rows / 10);
        var ticks = Enumerable.Range(0, rows).Where(k => k % every == 0).ToArray();
        plot.Axes.Left.SetTicks(ticks.Select(k => (double)k).ToArray(), ticks.Select(k => frequencies[k].ToString("0.#", CultureInfo.InvariantCulture)).ToArray());
        if (times[0] < 0 && times[^1] > 0)
        {
            plot.Add.VerticalLine(0, 2, Colors.Black, LinePattern.Dashed);
        }

        plot.Axes.SetLimits(times[0] - (step / 2), times[^1] + (step / 2), -0.5, rows - 0.5);
        return PlotStyle.Png(plot);
    }
}

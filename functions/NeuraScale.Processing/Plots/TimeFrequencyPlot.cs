using System.Globalization;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>Time-frequency heat map of one channel, with the event (t = 0) marked and a colour bar in the power unit.</summary>
public static class TimeFrequencyPlot
{
    public static byte[] Render(double[][] power, IReadOnlyList<double> frequencies, IReadOnlyList<double> times, string unit, bool diverging, string title)
    {
        var plot = PlotStyle.New(title, "Time (s)", "Frequency (Hz)");
        var rows = frequencies.Count;
        var cells = new double[rows, times.Count];
        for (var k = 0; k < rows; k++)
        {
            for (var t = 0; t < times.Count; t++)
            {
                cells[rows - 1 - k, t] = power[k][t]; // row 0 is drawn at the top: highest frequency first
            }
        }

        var step = times.Count > 1 ? times[1] - times[0] : 1;
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Rectangle = new CoordinateRect(times[0] - (step / 2), times[^1] + (step / 2), -0.5, rows - 0.5); // outer cell edges
        heatmap.Colormap = diverging ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Viridis();
        if (diverging)
        {
            // Symmetric limits so that "no change from baseline" sits in the middle of the colour scale.
            var limit = power.SelectMany(r => r).Select(Math.Abs).Max();
            heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
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

using System.Globalization;
using NeuraScale.Processing.Analysis;
using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// Source estimate seen from above: the largest value over height at each grid column (maximum-intensity
/// projection) inside a head outline with nose and ears, the electrodes and the peak marked.
/// </summary>
public static class SourceMapPlot
{
    public static byte[] Render(SourceLocalizationAnalysis.SourceMap map, SourcePoint peak, string unit, string title, string recording, string method)
    {
        var plot = PlotStyle.New(title, "x (mm, right →)", "y (mm, front ↑)", method, recording);
        var radius = map.HeadRadiusM * 1000;
        var xs = map.Grid.Select(p => Math.Round(p.X * 1000)).Distinct().Order().ToArray();
        var ys = map.Grid.Select(p => Math.Round(p.Y * 1000)).Distinct().Order().ToArray();
        var cells = new double[ys.Length, xs.Length];
        for (var r = 0; r < ys.Length; r++)
        {
            for (var c = 0; c < xs.Length; c++)
            {
                cells[r, c] = double.NaN;
            }
        }

        // Shown in the estimate's own unit (nA·m, or noise-normalised dSPM/sLORETA values), from zero.
        var max = map.Values.Max();
        const double scale = 1;
        for (var s = 0; s < map.Grid.Length; s++)
        {
            var column = Array.IndexOf(xs, Math.Round(map.Grid[s].X * 1000));
            var row = ys.Length - 1 - Array.IndexOf(ys, Math.Round(map.Grid[s].Y * 1000)); // row 0 at the top: front
            var value = map.Values[s] * scale;
            if (double.IsNaN(cells[row, column]) || value > cells[row, column])
            {
                cells[row, column] = value;
            }
        }

        var step = xs[1] - xs[0];
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Rectangle = new CoordinateRect(xs[0] - (step / 2), xs[^1] + (step / 2), ys[0] - (step / 2), ys[^1] + (step / 2));
        heatmap.Colormap = new ScottPlot.Colormaps.Inferno();
        heatmap.NaNCellColor = Colors.Transparent;
        var bar = plot.Add.ColorBar(heatmap);
        heatmap.ManualRange = new ScottPlot.Range(0, max > 0 ? max : 1);
        bar.Label = unit;

        // Head, nose and ears.
        var head = plot.Add.Circle(0, 0, radius);
        head.LineWidth = 2;
        head.LineColor = Colors.Black;
        head.FillColor = Colors.Transparent;
        var nose = plot.Add.Polygon([new(-12, radius - 1), new(0, radius + 14), new(12, radius - 1)]);
        nose.LineColor = Colors.Black;
        nose.FillColor = Colors.Transparent;
        nose.LineWidth = 2;
        foreach (var side in new[] { -1, 1 })
        {
            var ear = plot.Add.Ellipse(side * (radius + 5), 0, 6, 18);
            ear.LineColor = Colors.Black;
            ear.LineWidth = 2;
            ear.FillColor = Colors.Transparent;
        }

        foreach (var (name, position) in map.Electrodes)
        {
            var x = position.X * radius;
            var y = position.Y * radius;
            plot.Add.Marker(x, y, MarkerShape.FilledCircle, 6, Colors.SteelBlue);
            var text = plot.Add.Text(name, x, y);
            text.LabelFontSize = 11;
            text.LabelFontColor = Colors.SteelBlue.Darken(0.4);
            text.LabelAlignment = Alignment.LowerCenter;
            text.OffsetY = -4;
        }

        plot.Add.Marker(peak.XMm, peak.YMm, MarkerShape.OpenCircle, 18, Colors.Cyan);
        var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"peak ({peak.XMm:0}, {peak.YMm:0}, {peak.ZMm:0}) mm"), peak.XMm, peak.YMm);
        label.LabelFontSize = 12;
        label.LabelBold = true;
        label.LabelFontColor = Colors.Black;
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.7);
        label.LabelAlignment = Alignment.UpperLeft;
        label.OffsetX = 12;
        label.OffsetY = 12;

        plot.Axes.SetLimits(-radius - 25, radius + 25, -radius - 15, radius + 25);
        plot.Axes.SquareUnits();
        return PlotStyle.Png(plot, 900, 850);
    }
}

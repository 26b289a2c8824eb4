using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>
/// A channel × channel connectivity matrix as a heat map, channels labelled on both axes. The diagonal (a channel with
/// itself: 1 by definition) is grey and left out of the colour scale, which runs from 0 to the largest off-diagonal
/// value, so the pairs that differ are not squeezed into the bottom of a 0–1 scale.
/// </summary>
public static class ConnectivityPlot
{
    public static byte[] Render(double[][] matrix, IReadOnlyList<string> channels, string measure, string title, string recording, string method)
    {
        var n = channels.Count;
        var plot = PlotStyle.New(title, "", "", method, recording);
        var cells = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                cells[i, j] = i == j ? double.NaN : matrix[i][j]; // row 0 is drawn at the top: the first channel's row, as a matrix is read
            }
        }

        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5); // outer cell edges
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        var largest = cells.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(1).Max();
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(0.05, Math.Ceiling(largest * 20) / 20));
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = measure;

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, channels.ToArray());
        plot.Axes.Left.SetTicks(positions, channels.Reverse().ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = n > 12 ? 90 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = n > 12 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        if (n > 12)
        {
            // Rotated labels need room below the axis: ScottPlot measures unrotated text, which would clip them.
            plot.Axes.Bottom.MinimumSize = 12 + (9 * channels.Max(c => c.Length));
        }
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        var side = Math.Clamp(200 + (n * 32), 600, 1100);
        return PlotStyle.Png(plot, side + 120, side);
    }
}

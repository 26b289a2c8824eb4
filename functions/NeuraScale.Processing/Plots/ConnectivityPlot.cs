using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>A channel × channel connectivity matrix as a heat map (0–1), channels labelled on both axes.</summary>
public static class ConnectivityPlot
{
    public static byte[] Render(double[][] matrix, IReadOnlyList<string> channels, string measure, string title)
    {
        var n = channels.Count;
        var plot = PlotStyle.New(title, "", "");
        var cells = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                cells[i, j] = matrix[i][j]; // row 0 is drawn at the top: the first channel's row, as a matrix is read
            }
        }

        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5); // outer cell edges
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = measure;

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, channels.ToArray());
        plot.Axes.Left.SetTicks(positions, channels.Reverse().ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = n > 12 ? 90 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = n > 12 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        var side = Math.Clamp(200 + (n * 32), 600, 1100);
        return PlotStyle.Png(plot, side + 120, side);
    }
}

using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>Shared look of every analysis figure: size, fonts, palette, PNG output.</summary>
internal static class PlotStyle
{
    public const int Width = 1000;
    public const int Height = 600;

    /// <summary>A categorical palette that stays distinguishable for many channels.</summary>
    public static Color ChannelColor(int index, int count) =>
        count <= 10 ? new ScottPlot.Palettes.Category10().GetColor(index) : Colormap(index, count);

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 18);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        return plot;
    }

    public static byte[] Png(Plot plot, int width = Width, int height = Height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Log10 axis: data are plotted as log10(value) and labelled with the value itself.</summary>
    public static void LogAxis(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => FormatPower(Math.Pow(10, y)),
        };
    }

    private static string FormatPower(double value) => value switch
    {
        >= 1000 or < 0.01 => value.ToString("0.#E+0", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Color Colormap(int index, int count) => new ScottPlot.Colormaps.Turbo().GetColor(count == 1 ? 0.5 : 0.05 + (0.9 * index / (count - 1)));
}

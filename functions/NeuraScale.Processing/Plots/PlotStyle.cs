using ScottPlot;

namespace NeuraScale.Processing.Plots;

/// <summary>Shared look of every analysis figure: size, fonts, palette, PNG output.</summary>
internal static class PlotStyle
{
    public const int Width = 1000;
    public const int Height = 600;

    /// <summary>A categorical palette (Tableau 10) for the highlighted channels; there are never more than <see cref="MaxHighlighted"/>.</summary>
    public static Color ChannelColor(int index) => new ScottPlot.Palettes.Category10().GetColor(Distinct[index % Distinct.Length]);

    /// <summary>Tableau 10 without its grey (index 7), which is the colour of the channels not highlighted.</summary>
    private static readonly int[] Distinct = [0, 1, 2, 3, 4, 5, 6, 8, 9];

    /// <summary>Channels drawn in colour and named in the legend; the rest of a butterfly are grey.</summary>
    public const int MaxHighlighted = 8;

    /// <summary>
    /// A figure whose title says what it shows (<paramref name="title"/>: measure and channels), of which recording
    /// (<paramref name="recording"/>: description, id, window) and how it was computed (<paramref name="method"/>: method
    /// and key parameters), one line each so none is cut at the figure's edge.
    /// </summary>
    public static Plot New(string title, string xLabel, string yLabel, string? method = null, string? recording = null)
    {
        var plot = new Plot();
        plot.Title(string.Join("\n", new[] { title, recording, method }.OfType<string>()), size: 14);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        return plot;
    }

    /// <summary>"O1, Oz, O2" for a few channels, "64 channels" for many.</summary>
    public static string Describe(IReadOnlyList<string> channels) =>
        channels.Count <= 4 ? string.Join(", ", channels) : $"{channels.Count} channels";

    /// <summary>Grey for the channels of a butterfly that are not highlighted: present, but not competing for attention.</summary>
    public static Color Background => Colors.Gray.WithAlpha(0.35);

    /// <summary>
    /// The legend outside the data (right of the plot), so it never covers a line; with many channels it names the
    /// highlighted ones and counts the grey rest.
    /// </summary>
    public static void Legend(Plot plot, IEnumerable<(string Label, Color Color)> highlighted, int others)
    {
        var items = highlighted.Select(h => new LegendItem { LabelText = h.Label, LineColor = h.Color, LineWidth = 2.5f }).ToList();
        if (others > 0)
        {
            items.Add(new LegendItem { LabelText = $"{others} other channel{(others == 1 ? "" : "s")}", LineColor = Background, LineWidth = 2.5f });
        }

        plot.Legend.ManualItems.AddRange(items);
        plot.ShowLegend(Edge.Right);
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

    /// <summary>Decades as readers write them: 0.01 … 10,000 in full, beyond as 10ⁿ (never "1E+4").</summary>
    private static string FormatPower(double value)
    {
        var exponent = (int)Math.Round(Math.Log10(value));
        return exponent is >= -3 and <= 4
            ? value.ToString(exponent < 0 ? "0.###" : "#,0", System.Globalization.CultureInfo.InvariantCulture)
            : "10" + string.Concat(exponent.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(Superscript));
    }

    private static char Superscript(char c) => c switch
    {
        '-' => '⁻', '0' => '⁰', '1' => '¹', '2' => '²', '3' => '³', '4' => '⁴', '5' => '⁵', '6' => '⁶', '7' => '⁷', '8' => '⁸', _ => '⁹',
    };
}

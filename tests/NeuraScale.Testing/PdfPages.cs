using System.Diagnostics;

namespace NeuraScale.Testing;

/// <summary>PDF pages rendered to PNG with poppler's pdftoppm (installed with the references), as a reader would see them.</summary>
public static class PdfPages
{
    /// <summary>Renders every page at 80 dpi into <paramref name="directory"/> (emptied first); returns the PNG paths in page order.</summary>
    public static IReadOnlyList<string> Render(byte[] pdf, string directory, int dpi = 80)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var input = Path.Combine(directory, "report.pdf");
        File.WriteAllBytes(input, pdf);
        using var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-png", input, Path.Combine(directory, "page")]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("pdftoppm did not start; install poppler-utils (scripts/install-references does).");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pdftoppm failed ({process.ExitCode}): {errors}");
        }

        var pages = Directory.GetFiles(directory, "page-*.png").Order(StringComparer.Ordinal).ToArray();
        foreach (var page in pages)
        {
            // A blank page would be a tiny, uniform PNG; a page with text and figures is tens of kB at 80 dpi.
            if (new FileInfo(page).Length < 8_000)
            {
                throw new InvalidOperationException($"{page} looks blank ({new FileInfo(page).Length} bytes).");
            }
        }

        return pages;
    }
}

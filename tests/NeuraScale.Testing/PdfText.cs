using UglyToad.PdfPig;

namespace NeuraScale.Testing;

/// <summary>A PDF read back with an independent reader (PdfPig): each page's text and how many images it shows.</summary>
public sealed record PdfText(IReadOnlyList<string> Pages, IReadOnlyList<int> ImagesPerPage, string Title)
{
    /// <summary>All pages' text, one line per page, words separated by single spaces.</summary>
    public string All => string.Join("\n", Pages);

    public static PdfText Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        return new PdfText(
            pages.Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToArray(),
            pages.Select(p => p.GetImages().Count()).ToArray(),
            document.Information.Title ?? "");
    }
}

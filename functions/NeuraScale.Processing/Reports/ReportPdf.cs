using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace NeuraScale.Processing.Reports;

/// <summary>
/// Draws laid-out report blocks on A4 pages with PDFsharp: text wrapped to the margins, tables that continue on the
/// next page with their header repeated, figures scaled to the text width, and on every page a footer with the report
/// id, the draft notice and "page n of N". Fonts are embedded (subset, Unicode) so the text can be searched and copied.
/// </summary>
public static class ReportPdf
{
    public static (byte[] Pdf, int Pages) Write(string title, string reportId, IReadOnlyList<(string Section, IReadOnlyList<ReportBlock> Blocks)> parts)
    {
        ReportFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Subject = reportId;
        document.Info.Creator = "NeuraScale Functions";
        document.Info.Keywords = "EEG report, machine-generated draft";
        using (var flow = new PageFlow(document))
        {
            foreach (var block in parts.SelectMany(p => p.Blocks))
            {
                flow.Draw(block);
            }
        }

        Footers(document, title, reportId);
        var pages = document.PageCount;
        using var output = new MemoryStream();
        document.Save(output, false);
        return (output.ToArray(), pages);
    }

    private static void Footers(PdfDocument document, string title, string reportId)
    {
        var font = PageFlow.Font(7);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - PageFlow.Margin + 14;
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), PageFlow.Margin, y - 4, page.Width.Point - PageFlow.Margin, y - 4);
            gfx.DrawString($"{title} · {reportId} · machine-generated draft, pending clinician review", font, XBrushes.Gray, new XRect(PageFlow.Margin, y, 400, 10), XStringFormats.TopLeft);
            gfx.DrawString(string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {document.PageCount}"), font, XBrushes.Gray, new XRect(page.Width.Point - PageFlow.Margin - 100, y, 100, 10), XStringFormats.TopRight);
        }
    }

    /// <summary>A cursor down the pages: draws blocks, breaking to a new page where one does not fit.</summary>
    private sealed class PageFlow(PdfDocument document) : IDisposable
    {
        public const double Margin = 50;
        private const double BodySize = 9;
        private const double Leading = 1.3;

        private XGraphics? _gfx;
        private PdfPage? _page;
        private double _y;

        private double Width => _page!.Width.Point - (2 * Margin);

        private double Bottom => _page!.Height.Point - Margin - 6;

        public static XFont Font(double size, bool bold = false) =>
            new(ReportFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

        public void Draw(ReportBlock block)
        {
            if (_gfx is null)
            {
                NewPage();
            }

            switch (block)
            {
                case HeadingBlock h:
                    Heading(h);
                    break;
                case ParagraphBlock p:
                    Paragraph(p.Text, Font(BodySize), XBrushes.Black);
                    _y += 4;
                    break;
                case NoticeBlock n:
                    Notice(n.Text);
                    break;
                case FieldsBlock f:
                    Fields(f);
                    break;
                case ListBlock l:
                    List(l);
                    break;
                case TableBlock t:
                    Table(t);
                    break;
                case FigureBlock g:
                    Figure(g);
                    break;
                case SignatureBlock s:
                    Signature(s);
                    break;
            }
        }

        private void Heading(HeadingBlock h)
        {
            var size = h.Level switch { 0 => 17, 1 => 13, _ => 10.5 };
            Ensure((size * 3) + 40);
            _y += h.Level == 0 ? 0 : 8;
            var font = Font(size, bold: true);
            Paragraph(h.Text, font, h.Level == 0 ? XBrushes.Black : new XSolidBrush(XColor.FromArgb(30, 60, 110)));
            if (h.Level <= 1)
            {
                _gfx!.DrawLine(new XPen(XColors.LightGray, 0.7), Margin, _y, Margin + Width, _y);
            }

            _y += 5;
        }

        private void Notice(string text)
        {
            var font = Font(8.5, bold: true);
            var lines = Wrap(text, font, Width - 12);
            var height = (lines.Count * font.Size * Leading) + 10;
            Ensure(height);
            _gfx!.DrawRectangle(new XPen(XColor.FromArgb(190, 120, 0), 0.8), new XSolidBrush(XColor.FromArgb(255, 246, 225)), Margin, _y, Width, height);
            var y = _y + 5;
            foreach (var line in lines)
            {
                _gfx.DrawString(line, font, new XSolidBrush(XColor.FromArgb(120, 70, 0)), new XRect(Margin + 6, y, Width - 12, font.Size * Leading), XStringFormats.TopLeft);
                y += font.Size * Leading;
            }

            _y += height + 8;
        }

        private void Fields(FieldsBlock f)
        {
            var label = Font(BodySize, bold: true);
            var value = Font(BodySize);
            var labelWidth = Math.Min(110, f.Fields.Max(x => _gfx!.MeasureString(x.Label, label).Width) + 10);
            foreach (var (name, text) in f.Fields)
            {
                var lines = Wrap(text, value, Width - labelWidth);
                Ensure(lines.Count * value.Size * Leading);
                _gfx!.DrawString(name, label, XBrushes.Black, new XRect(Margin, _y, labelWidth, label.Size * Leading), XStringFormats.TopLeft);
                foreach (var line in lines)
                {
                    _gfx.DrawString(line, value, XBrushes.Black, new XRect(Margin + labelWidth, _y, Width - labelWidth, value.Size * Leading), XStringFormats.TopLeft);
                    _y += value.Size * Leading;
                }

                _y += 1.5;
            }

            _y += 6;
        }

        private void List(ListBlock l)
        {
            var font = Font(BodySize);
            for (var i = 0; i < l.Items.Count; i++)
            {
                var number = (i + 1).ToString(CultureInfo.InvariantCulture) + ".";
                var lines = Wrap(l.Items[i], font, Width - 18);
                Ensure(font.Size * Leading * Math.Min(lines.Count, 3));
                _gfx!.DrawString(number, font, XBrushes.Black, new XRect(Margin, _y, 18, font.Size * Leading), XStringFormats.TopLeft);
                foreach (var line in lines)
                {
                    Ensure(font.Size * Leading);
                    _gfx!.DrawString(line, font, XBrushes.Black, new XRect(Margin + 18, _y, Width - 18, font.Size * Leading), XStringFormats.TopLeft);
                    _y += font.Size * Leading;
                }

                _y += 2;
            }

            _y += 4;
        }

        private void Table(TableBlock t)
        {
            var caption = Font(8.5, bold: true);
            var header = Font(7.5, bold: true);
            var cell = Font(7.5);
            var total = t.Widths.Sum();
            var widths = t.Widths.Select(w => w / total * Width).ToArray();
            var row = cell.Size * 1.55;
            Ensure(caption.Size * Leading + (row * 3));
            Paragraph(t.Caption, caption, XBrushes.Black);
            HeaderRow();
            for (var r = 0; r < t.Rows.Count; r++)
            {
                if (_y + row > Bottom)
                {
                    NewPage();
                    Paragraph(t.Caption + " (continued)", caption, XBrushes.Black);
                    HeaderRow();
                }

                if (r % 2 == 1)
                {
                    _gfx!.DrawRectangle(new XSolidBrush(XColor.FromArgb(245, 247, 250)), Margin, _y, Width, row);
                }

                Cells(t.Rows[r], cell, XBrushes.Black);
                _y += row;
            }

            _gfx!.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y, Margin + Width, _y);
            _y += 10;

            void HeaderRow()
            {
                _gfx!.DrawRectangle(new XSolidBrush(XColor.FromArgb(225, 232, 242)), Margin, _y, Width, row + 1);
                Cells(t.Headers, header, XBrushes.Black);
                _y += row + 1;
            }

            void Cells(IReadOnlyList<string> values, XFont font, XBrush brush)
            {
                var x = Margin;
                for (var c = 0; c < widths.Length && c < values.Count; c++)
                {
                    _gfx!.DrawString(Fit(values[c], font, widths[c] - 4), font, brush, new XRect(x + 2, _y + 2, widths[c] - 4, row), XStringFormats.TopLeft);
                    x += widths[c];
                }
            }
        }

        private void Figure(FigureBlock g)
        {
            using var stream = new MemoryStream(g.Png);
            using var image = XImage.FromStream(stream);
            var width = Width;
            var height = width * image.PixelHeight / image.PixelWidth;
            var captionFont = Font(8);
            var captionLines = Wrap(g.Caption, captionFont, width);
            Ensure(height + (captionLines.Count * captionFont.Size * Leading) + 6);
            _gfx!.DrawImage(image, Margin, _y, width, height);
            _y += height + 3;
            Paragraph(g.Caption, captionFont, XBrushes.DimGray);
            _y += 8;
        }

        private void Signature(SignatureBlock s)
        {
            var font = Font(BodySize);
            Ensure(130);
            _y += 12;
            Paragraph(s.Statement, font, XBrushes.Black);
            _y += 26;
            var pen = new XPen(XColors.Black, 0.6);
            var columns = new[] { ("Reviewing clinician (name)", 0.0, 0.42), ("Signature", 0.46, 0.3), ("Date", 0.8, 0.2) };
            foreach (var (label, from, share) in columns)
            {
                var x = Margin + (from * Width);
                _gfx!.DrawLine(pen, x, _y, x + (share * Width), _y);
                _gfx.DrawString(label, Font(7.5), XBrushes.DimGray, new XRect(x, _y + 3, share * Width, 10), XStringFormats.TopLeft);
            }

            _y += 24;
        }

        private void Paragraph(string text, XFont font, XBrush brush)
        {
            foreach (var line in Wrap(text, font, Width))
            {
                Ensure(font.Size * Leading);
                _gfx!.DrawString(line, font, brush, new XRect(Margin, _y, Width, font.Size * Leading), XStringFormats.TopLeft);
                _y += font.Size * Leading;
            }
        }

        /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
        private void Ensure(double height)
        {
            if (_y + height > Bottom && _y > Margin + 1)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            _gfx?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        /// <summary>Greedy word wrap to <paramref name="width"/> points; a word longer than a line is cut.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var paragraph in text.Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (_gfx!.MeasureString(candidate, font).Width <= width || line.Length == 0)
                    {
                        line = candidate;
                    }
                    else
                    {
                        lines.Add(line);
                        line = word;
                    }
                }

                lines.Add(line);
            }

            return lines;
        }

        /// <summary>The text, shortened with an ellipsis to fit a table cell.</summary>
        private string Fit(string text, XFont font, double width)
        {
            if (_gfx!.MeasureString(text, font).Width <= width)
            {
                return text;
            }

            var cut = text;
            while (cut.Length > 1 && _gfx.MeasureString(cut + "…", font).Width > width)
            {
                cut = cut[..^1];
            }

            return cut + "…";
        }

        public void Dispose() => _gfx?.Dispose();
    }
}

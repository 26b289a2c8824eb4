using System.Text;

namespace NeuraScale.Processing.Reports;

/// <summary>The report as plain text: the preview a tool result carries (figures named by caption only).</summary>
public static class ReportText
{
    public static string Write(IReadOnlyList<(string Section, IReadOnlyList<ReportBlock> Blocks)> parts, IReadOnlyCollection<string>? only = null)
    {
        var text = new StringBuilder();
        foreach (var (section, blocks) in parts.Where(p => only is null || only.Contains(p.Section)))
        {
            foreach (var block in blocks)
            {
                switch (block)
                {
                    case HeadingBlock h:
                        text.AppendLine().AppendLine(h.Level <= 1 ? h.Text.ToUpperInvariant() : h.Text);
                        break;
                    case ParagraphBlock p:
                        text.AppendLine(p.Text);
                        break;
                    case NoticeBlock n:
                        text.AppendLine("[" + n.Text + "]");
                        break;
                    case FieldsBlock f:
                        foreach (var (label, value) in f.Fields)
                        {
                            text.Append(label).Append(": ").AppendLine(value);
                        }

                        break;
                    case ListBlock l:
                        for (var i = 0; i < l.Items.Count; i++)
                        {
                            text.Append(i + 1).Append(". ").AppendLine(l.Items[i]);
                        }

                        break;
                    case TableBlock t:
                        text.Append("[Table: ").Append(t.Caption).Append(", ").Append(t.Rows.Count).AppendLine(" rows]");
                        break;
                    case FigureBlock g:
                        text.Append("[Figure: ").Append(g.Caption).AppendLine("]");
                        break;
                    case SignatureBlock s:
                        text.AppendLine(s.Statement).AppendLine("Reviewing clinician: ______________________  Signature: ______________  Date: __________");
                        break;
                }
            }
        }

        return text.ToString().Trim();
    }
}

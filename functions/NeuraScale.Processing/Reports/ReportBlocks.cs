namespace NeuraScale.Processing.Reports;

/// <summary>One element of a laid-out report; the PDF writer draws them, the preview writes them as text.</summary>
public abstract record ReportBlock;

public sealed record HeadingBlock(int Level, string Text) : ReportBlock;

public sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>A boxed notice, e.g. that the report is a machine-generated draft.</summary>
public sealed record NoticeBlock(string Text) : ReportBlock;

/// <summary>Label–value pairs, e.g. the recording's details.</summary>
public sealed record FieldsBlock(IReadOnlyList<(string Label, string Value)> Fields) : ReportBlock;

/// <param name="Widths">Relative column widths.</param>
public sealed record TableBlock(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<double> Widths) : ReportBlock;

public sealed record FigureBlock(byte[] Png, string Caption) : ReportBlock;

public sealed record ListBlock(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>Lines for the reviewing clinician's name, signature and date.</summary>
public sealed record SignatureBlock(string Statement) : ReportBlock;

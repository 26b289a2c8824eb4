using System.Text.Json.Serialization;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Exports;

namespace NeuraScale.Processing.Reports;

/// <summary>What a report job left: the PDF, and what a caller sees of it without opening it.</summary>
/// <param name="Preview">The summary and findings as text (never the identity block: this is kept in the jobs table).</param>
public sealed record ReportSummary(
    [property: JsonPropertyName("files")] IReadOnlyList<JobFile> Files,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("sections")] IReadOnlyList<string> Sections,
    [property: JsonPropertyName("preview")] string Preview,
    [property: JsonPropertyName("findings")] IReadOnlyList<string> Findings,
    [property: JsonPropertyName("pages")] int Pages,
    [property: JsonPropertyName("identity_included")] bool IdentityIncluded);

/// <summary>
/// Writes a report: computes it (<see cref="ReportBuilder"/>), lays it out, draws the PDF and stores it in the
/// exports container under the job's id, from where the job service hands out download links.
/// </summary>
public sealed class ReportService(ReportBuilder builder, ExportFileStore files)
{
    public async Task<ReportSummary> WriteAsync(ReportRequest request, string reportId, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var document = await builder.BuildAsync(request, reportId, ScaledProgress.Of(progress, 0, 0.9), cancellationToken).ConfigureAwait(false);
        var parts = ReportLayout.Compose(document);
        var (pdf, pages) = ReportPdf.Write(document.Title, reportId, parts);
        var fileName = $"{request.Type}-report_{request.SessionIds[0]}{(request.SessionIds.Count > 1 ? $"_and_{request.SessionIds.Count - 1}_more" : "")}.pdf";
        var uploaded = await files.UploadAsync($"{reportId}/{fileName}", "application/pdf", stream => stream.WriteAsync(pdf, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        progress?.Report(1);
        var preview = ReportText.Write(parts, [ReportSections.Summary, ReportSections.Conclusions]);
        return new ReportSummary(
            [new JobFile("report", uploaded.BlobName, fileName, "application/pdf", uploaded.SizeBytes, uploaded.Sha256)],
            document.Title,
            request.Sections,
            preview,
            document.Findings,
            pages,
            document.Patient.Identity is not null);
    }
}

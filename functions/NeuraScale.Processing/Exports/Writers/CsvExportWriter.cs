using System.Text;
using NeuraScale.Formats.Csv;

namespace NeuraScale.Processing.Exports.Writers;

/// <summary>CSV: time column and one column per channel (unit in the header), UTF-8 without BOM. Markers go to a second file.</summary>
internal sealed class CsvExportWriter(StreamWriter text, CsvSignalWriter writer) : ISignalFileWriter
{
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static async Task<ISignalFileWriter> CreateAsync(Stream stream, ExportDescription d, CancellationToken cancellationToken)
    {
        var text = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true);
        var writer = await CsvSignalWriter.CreateAsync(text, d.Channels.Select(c => (c.Name, c.Unit)).ToArray(), d.Plan.OutputRateHz, cancellationToken).ConfigureAwait(false);
        return new CsvExportWriter(text, writer);
    }

    /// <summary>The markers file: onset_s, duration_s, label.</summary>
    public static async Task WriteMarkersAsync(Stream stream, IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true);
        await CsvSignalWriter.WriteEventsAsync(text, markers, cancellationToken).ConfigureAwait(false);
        await text.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken) => writer.WriteAsync(data, count, cancellationToken);

    public async Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await text.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync().ConfigureAwait(false);
        await text.DisposeAsync().ConfigureAwait(false);
    }
}

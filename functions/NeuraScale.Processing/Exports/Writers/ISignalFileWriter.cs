namespace NeuraScale.Processing.Exports.Writers;

/// <summary>One export file being written: blocks of samples in time order, then completion.</summary>
public interface ISignalFileWriter : IAsyncDisposable
{
    /// <summary>Appends <paramref name="count"/> samples of every channel, <c>data[channel][i]</c>.</summary>
    Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Writes whatever the format keeps for the end (last record, footer) — for formats that take markers at the end,
    /// the <paramref name="markers"/> seen while streaming; the stream is left open.
    /// </summary>
    Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken);
}

/// <summary>Creates the writer of a format over a stream.</summary>
public static class SignalFileWriters
{
    /// <summary>
    /// Formats that need a first pass over the data before writing: EDF/BDF (physical ranges, and annotations in the
    /// records they start in) and MAT (the events' size in the struct header). The others take markers at the end.
    /// </summary>
    public static bool NeedsSurvey(ExportFormat format) => format is ExportFormat.Edf or ExportFormat.Bdf or ExportFormat.Mat;

    public static async Task<ISignalFileWriter> CreateAsync(ExportFormat format, Stream stream, ExportDescription description, CancellationToken cancellationToken) => format switch
    {
        ExportFormat.Edf or ExportFormat.Bdf => await EdfExportWriter.CreateAsync(stream, description, cancellationToken).ConfigureAwait(false),
        ExportFormat.Mat => await MatExportWriter.CreateAsync(stream, description, cancellationToken).ConfigureAwait(false),
        ExportFormat.Csv => await CsvExportWriter.CreateAsync(stream, description, cancellationToken).ConfigureAwait(false),
        ExportFormat.Parquet => await ParquetExportWriter.CreateAsync(stream, description, cancellationToken).ConfigureAwait(false),
        ExportFormat.Fif => await FifExportWriter.CreateAsync(stream, description, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}

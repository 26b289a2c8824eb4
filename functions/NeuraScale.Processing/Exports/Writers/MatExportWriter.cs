using NeuraScale.Formats.Mat;

namespace NeuraScale.Processing.Exports.Writers;

/// <summary>MAT v5: one struct variable named "recording".</summary>
internal sealed class MatExportWriter(MatV5Writer writer) : ISignalFileWriter
{
    public static async Task<ISignalFileWriter> CreateAsync(Stream stream, ExportDescription d, CancellationToken cancellationToken)
    {
        var spec = new MatFileSpec(
            "recording",
            d.Channels.Select(c => c.Name).ToArray(),
            d.Channels.Select(c => c.Unit).ToArray(),
            d.Plan.OutputRateHz,
            d.Plan.Outputs,
            d.StartTimeText,
            d.Session.Id.Value,
            d.Markers);
        return new MatExportWriter(await MatV5Writer.CreateAsync(stream, spec, cancellationToken).ConfigureAwait(false));
    }

    public Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken) => writer.WriteAsync(data, count, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken) => writer.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

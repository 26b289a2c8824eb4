using System.Globalization;
using System.Text.Json;
using NeuraScale.Formats.Parquet;

namespace NeuraScale.Processing.Exports.Writers;

/// <summary>Parquet: typed columns, one-minute row groups, recording metadata (units, start, markers) as key-value metadata.</summary>
internal sealed class ParquetExportWriter(ParquetSignalWriter writer) : ISignalFileWriter
{
    public static async Task<ISignalFileWriter> CreateAsync(Stream stream, ExportDescription d, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            ["neurascale.session_id"] = d.Session.Id.Value,
            ["neurascale.start_time"] = d.StartTimeText,
            ["neurascale.sampling_rate_hz"] = d.Plan.OutputRateHz.ToString("R", CultureInfo.InvariantCulture),
            ["neurascale.units"] = JsonSerializer.Serialize(d.Channels.ToDictionary(c => c.Name, c => c.Unit)),
            ["neurascale.channel_types"] = JsonSerializer.Serialize(d.Channels.ToDictionary(c => c.Name, c => c.Type.ToString().ToLowerInvariant())),
            ["neurascale.prefiltering"] = d.Band.EdfPrefiltering(d.Session.SamplingRateHz),
        };
        var rowGroup = (int)Math.Clamp(Math.Round(60 * d.Plan.OutputRateHz), 1_000, ParquetSignalWriter.DefaultRowGroupRows * 4);
        return new ParquetExportWriter(await ParquetSignalWriter.CreateAsync(stream, d.Channels.Select(c => c.Name).ToArray(), d.Plan.OutputRateHz, metadata, rowGroup, cancellationToken).ConfigureAwait(false));
    }

    public Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken) => writer.WriteAsync(data, count, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken)
    {
        // Key-value metadata lives in the footer, so the markers seen while streaming can still go in.
        writer.AddMetadata("neurascale.events", JsonSerializer.Serialize(markers.Select(m => new { onset_s = m.OnsetS, duration_s = m.DurationS, label = m.Label })));
        return writer.CompleteAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}

using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Processing.Exports.Writers;

/// <summary>EDF+ (16-bit) or BDF+ (24-bit): physical ranges from the survey (no clipping), prefiltering from the lineage, markers as annotations.</summary>
internal sealed class EdfExportWriter(EdfWriter writer, int channels, int blockSamples) : ISignalFileWriter
{
    private readonly double[][] _buffer = Enumerable.Range(0, channels).Select(_ => new double[blockSamples]).ToArray();

    public static async Task<ISignalFileWriter> CreateAsync(Stream stream, ExportDescription d, CancellationToken cancellationToken)
    {
        var fs = d.Plan.OutputRateHz;
        var prefiltering = d.Band.EdfPrefiltering(d.Session.SamplingRateHz);
        var channels = d.Channels.Select((c, i) => new EdfChannelSpec(c.Name, Transducer(c.Type), c.Unit, d.RequiredSurvey.Minimum[i], d.RequiredSurvey.Maximum[i], prefiltering)).ToArray();
        var spec = new EdfFileSpec(
            d.Session.Patient.Value,
            d.Session.Id.Value,
            d.Session.DeviceId,
            d.Plan.StartTime.UtcDateTime,
            fs,
            d.Plan.Outputs,
            channels,
            d.Markers.Select(m => new EdfAnnotation(m.OnsetS, m.DurationS, m.Label)).ToArray(),
            Bdf: d.Plan.Request.Format == ExportFormat.Bdf);
        var writer = await EdfWriter.CreateAsync(stream, spec, cancellationToken).ConfigureAwait(false);
        return new EdfExportWriter(writer, channels.Length, d.Plan.BlockOutputs);
    }

    public async Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken)
    {
        for (var c = 0; c < data.Length; c++)
        {
            for (var i = 0; i < count; i++)
            {
                _buffer[c][i] = data[c][i];
            }
        }

        await writer.WriteAsync(_buffer, count, cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken) => writer.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Transducer(ChannelType type) => type switch
    {
        ChannelType.EEG or ChannelType.EOG => "AgAgCl electrode",
        _ => type + " electrode",
    };
}

using NeuraScale.Domain;
using NeuraScale.Formats.Fif;
using NeuraScale.Signals.Sources;

namespace NeuraScale.Processing.Exports.Writers;

/// <summary>FIF raw: channel kinds and calibrations from the channel list, 10-20 positions where the label is a known site, annotations after the data.</summary>
public sealed class FifExportWriter(FifRawWriter writer) : ISignalFileWriter
{
    /// <summary>Head radius used to place unit-sphere electrode positions in metres.</summary>
    private const double HeadRadiusM = 0.09;

    public static async Task<ISignalFileWriter> CreateAsync(Stream stream, ExportDescription d, CancellationToken cancellationToken)
    {
        var channels = d.Channels.Select(Channel).ToArray();
        var spec = new FifFileSpec(channels, d.Plan.OutputRateHz, d.Plan.StartTime, d.Band.HighPassHz, d.Band.LowPassHz, []);
        return new FifExportWriter(await FifRawWriter.CreateAsync(stream, spec, cancellationToken).ConfigureAwait(false));
    }

    public Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken) => writer.WriteAsync(data, count, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<(double OnsetS, double DurationS, string Label)> markers, CancellationToken cancellationToken) => writer.CompleteAsync(markers, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static FifChannelSpec Channel(ChannelInfo channel)
    {
        var kind = channel.Type switch
        {
            ChannelType.EEG => FifChannelKind.Eeg,
            ChannelType.EOG => FifChannelKind.Eog,
            ChannelType.EMG => FifChannelKind.Emg,
            ChannelType.ECG => FifChannelKind.Ecg,
            _ => FifChannelKind.Misc,
        };
        var position = kind == FifChannelKind.Eeg && ElectrodePositions.Find(channel.Name) is { } p
            ? (p.X * HeadRadiusM, p.Y * HeadRadiusM, p.Z * HeadRadiusM)
            : ((double, double, double)?)null;
        var volts = VoltsPerUnit(channel.Unit)
            ?? throw new InvalidRequestException($"FIF stores volts; channel unit '{channel.Unit}' cannot be converted. Export this recording as EDF, MAT, CSV or Parquet instead.");
        return new FifChannelSpec(channel.Name, position, kind, volts);
    }

    /// <summary>Volts per unit of a stored channel unit; null for a unit that is not a volt unit (FIF cannot store it).</summary>
    public static double? VoltsPerUnit(string unit) => unit.Trim() switch
    {
        "uV" or "µV" or "μV" => 1e-6,
        "mV" => 1e-3,
        "nV" => 1e-9,
        "V" => 1,
        _ => null,
    };
}

using System.Globalization;
using CsvHelper;

namespace NeuraScale.Formats.Csv;

/// <summary>
/// Writes samples as CSV with CsvHelper, streaming row by row: a <c>time_s</c> column (seconds from the first
/// sample) and one column per channel named with its unit, e.g. <c>Fp1 (uV)</c>. Samples are the stored float32
/// values in their shortest round-trip form (invariant culture), so a reader that parses them back to float32 gets
/// exactly the stored numbers. Markers go to a second CSV
/// (<see cref="WriteEventsAsync"/>): <c>onset_s,duration_s,label</c>.
/// </summary>
public sealed class CsvSignalWriter : IAsyncDisposable
{
    // CsvHelper 34's options API (it has no CsvHelper.Configuration namespace any more).
    private static readonly CsvWriterOptions Options = new() { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };

    private readonly CsvWriter _csv;
    private readonly double _samplingRateHz;
    private readonly int _channels;
    private long _written;

    private CsvSignalWriter(TextWriter text, double samplingRateHz, int channels)
    {
        _csv = CsvWriter.Create(text, Options, true);
        _samplingRateHz = samplingRateHz;
        _channels = channels;
    }

    /// <summary>Writes the header row and returns a writer for the rows.</summary>
    /// <param name="text">Destination; left open.</param>
    /// <param name="channels">Channel names and units, in column order.</param>
    /// <param name="samplingRateHz">Sampling rate, Hz (for the time column).</param>
    public static async Task<CsvSignalWriter> CreateAsync(TextWriter text, IReadOnlyList<(string Name, string Unit)> channels, double samplingRateHz, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var writer = new CsvSignalWriter(text, samplingRateHz, channels.Count);
        writer._csv.WriteField("time_s");
        foreach (var (name, unit) in channels)
        {
            writer._csv.WriteField(string.IsNullOrEmpty(unit) ? name : $"{name} ({unit})");
        }

        await writer._csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <summary>Appends <paramref name="count"/> rows from <c>data[channel][i]</c>.</summary>
    public async Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            _csv.WriteField((_written / _samplingRateHz).ToString("R", CultureInfo.InvariantCulture));
            for (var c = 0; c < _channels; c++)
            {
                _csv.WriteField(data[c][i].ToString("R", CultureInfo.InvariantCulture));
            }

            await _csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            _written++;
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default) => await _csv.FlushAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync() => await _csv.DisposeAsync().ConfigureAwait(false);

    /// <summary>Writes markers as <c>onset_s,duration_s,label</c> rows (labels quoted as CSV needs).</summary>
    public static async Task WriteEventsAsync(TextWriter text, IEnumerable<(double OnsetS, double DurationS, string Label)> events, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(text, Options, true);
        csv.WriteField("onset_s");
        csv.WriteField("duration_s");
        csv.WriteField("label");
        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            csv.WriteField(e.OnsetS.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(e.DurationS.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(e.Label);
            await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        }

        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

using NeuraScale.Domain;
using Parquet;
using Parquet.Schema;

namespace NeuraScale.Formats.Parquet;

/// <summary>
/// Writes samples as Parquet with Parquet.Net: a <c>time_s</c> column (double, seconds from the first sample) and one
/// float column per channel (the stored float32 values), in row groups of a bounded number of rows so that memory stays
/// bounded and readers can skip through time. Recording metadata (units, sampling rate, session, start, events as JSON)
/// goes in the file's key-value metadata under <c>neurascale.*</c> keys.
/// </summary>
public sealed class ParquetSignalWriter : IAsyncDisposable
{
    /// <summary>Default rows per row group: one minute at 1 kHz (a few MB per group for 64 channels).</summary>
    public const int DefaultRowGroupRows = 60_000;

    private readonly ParquetWriter _writer;
    private readonly DataField<double> _time;
    private readonly DataField<float>[] _fields;
    private readonly double _samplingRateHz;
    private readonly float[][] _buffer;
    private int _filled;
    private long _written;
    private bool _closed;

    private ParquetSignalWriter(ParquetWriter writer, DataField<double> time, DataField<float>[] fields, double samplingRateHz, int rowGroupRows)
    {
        _writer = writer;
        _time = time;
        _fields = fields;
        _samplingRateHz = samplingRateHz;
        _buffer = fields.Select(_ => new float[rowGroupRows]).ToArray();
    }

    /// <param name="stream">Destination; must stay open until <see cref="DisposeAsync"/>.</param>
    /// <param name="channelNames">Column names, one per channel (must be unique).</param>
    /// <param name="samplingRateHz">Sampling rate, Hz.</param>
    /// <param name="metadata">Key-value metadata for the footer (e.g. neurascale.units as JSON).</param>
    /// <param name="rowGroupRows">Rows per row group.</param>
    public static async Task<ParquetSignalWriter> CreateAsync(Stream stream, IReadOnlyList<string> channelNames, double samplingRateHz, IReadOnlyDictionary<string, string> metadata, int rowGroupRows = DefaultRowGroupRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        if (channelNames.Distinct(StringComparer.Ordinal).Count() != channelNames.Count || channelNames.Contains("time_s"))
        {
            throw new InvalidRequestException("Channel names must be unique and not 'time_s' to be Parquet columns.");
        }

        var time = new DataField<double>("time_s");
        var fields = channelNames.Select(n => new DataField<float>(n)).ToArray();
        var schema = new ParquetSchema([time, .. fields]);
        var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = metadata.ToDictionary();
        return new ParquetSignalWriter(writer, time, fields, samplingRateHz, rowGroupRows);
    }

    /// <summary>Appends <paramref name="count"/> rows from <c>data[channel][i]</c>; full row groups are written at once.</summary>
    public async Task WriteAsync(float[][] data, int count, CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (offset < count)
        {
            var take = Math.Min(_buffer[0].Length - _filled, count - offset);
            for (var c = 0; c < _fields.Length; c++)
            {
                Array.Copy(data[c], offset, _buffer[c], _filled, take);
            }

            _filled += take;
            offset += take;
            if (_filled == _buffer[0].Length)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds (or replaces) a key-value metadata entry; possible until completion, since metadata lives in the footer.</summary>
    public void AddMetadata(string key, string value)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var metadata = _writer.CustomMetadata is { } existing ? new Dictionary<string, string>(existing) : [];
        metadata[key] = value;
        _writer.CustomMetadata = metadata;
    }

    /// <summary>Writes the last, partial row group and the footer.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_filled > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Writes the footer (once); rows not yet in a full row group are written only by <see cref="CompleteAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var times = new double[_filled];
        for (var i = 0; i < _filled; i++)
        {
            times[i] = (_written + i) / _samplingRateHz;
        }

        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<double>(_time, times, null, null, cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < _fields.Length; c++)
            {
                await group.WriteAsync<float>(_fields[c], _buffer[c].AsMemory(0, _filled), null, null, cancellationToken).ConfigureAwait(false);
            }
        }

        _written += _filled;
        _filled = 0;
    }
}

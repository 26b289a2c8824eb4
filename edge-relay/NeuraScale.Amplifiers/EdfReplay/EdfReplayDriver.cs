using System.Runtime.CompilerServices;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>
/// Plays an EDF/EDF+/BDF recording back through the relay as an amplifier would deliver it: one data record per block,
/// paced at the recording's rate (times <see cref="EdfReplayOptions.Speed"/>), with its annotations as event markers.
/// Channels, units and markers are those an import gives (<see cref="EdfSessionSource"/>); the session's start time is
/// the replay's, as for any live recording — to keep the file's own clock, import it instead.
/// </summary>
public sealed class EdfReplayDriver : IAmplifierDriver, IDisposable
{
    private readonly EdfReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly EdfSessionSource _source;
    private readonly Lock _gate = new();

    public EdfReplayDriver(EdfReplayOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        try
        {
            // The same checks and channel mapping as an import: a damaged file would put shifted bytes into the
            // catalog as if they were EEG.
            _source = EdfSessionSource.Open(options.Path);
        }
        catch (InvalidRequestException ex)
        {
            throw new ArgumentException($"{options.Path} cannot be replayed: {ex.Message}");
        }

        Device = new Device(options.DeviceId, "EDF replay", _source.Modality, "edf-replay", _source.Channels, _source.SamplingRateHz);
        TotalSamples = _source.SampleCount;
    }

    public Device Device { get; }

    /// <summary>Samples per channel in the file.</summary>
    public long TotalSamples { get; }

    /// <summary>A file has no battery or electrodes to measure.</summary>
    public DeviceStatus ReadStatus() => new(100, []);

    /// <summary>The file's physical values for one channel (double precision, before float32 storage).</summary>
    public double[] ReadChannel(int channel, long firstRecord, int records)
    {
        lock (_gate)
        {
            return _source.ReadChannel(channel, firstRecord, records);
        }
    }

    public IReadOnlyList<EventMarker> EventsBetween(long fromSample, long toSample) =>
        _source.Events.Where(e => e.Sample >= fromSample && e.Sample < toSample).ToArray();

    public async IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSample);
        var end = Math.Min(untilSample, TotalSamples);
        var origin = _time.GetTimestamp();
        var fs = Device.SamplingRateHz;
        for (var first = fromSample; first < end;)
        {
            // Up to the end of the current data record.
            var record = first / _source.SamplesPerRecord;
            var offset = (int)(first - (record * _source.SamplesPerRecord));
            var count = (int)Math.Min(_source.SamplesPerRecord - offset, end - first);
            var wait = TimeSpan.FromSeconds((first + count - fromSample) / fs / _options.Speed) - _time.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            var samples = new float[_source.Channels.Count * count];
            for (var c = 0; c < _source.Channels.Count; c++)
            {
                var values = ReadChannel(c, record, 1);
                for (var i = 0; i < count; i++)
                {
                    samples[(c * count) + i] = (float)values[offset + i];
                }
            }

            yield return new SampleBlock(first, _source.Channels.Count, samples, EventsBetween(first, first + count));
            first += count;
        }
    }

    public void Dispose() => _source.Dispose();
}

using System.Runtime.CompilerServices;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>
/// Plays an EDF/EDF+ recording back through the relay as an amplifier would deliver it: one data record per block,
/// paced at the recording's rate (times <see cref="EdfReplayOptions.Speed"/>), with its EDF+ annotations as event
/// markers. Labels are normalised to 10-20 spelling ("Fc5." → "FC5"). Every ordinary signal must share one whole-Hz
/// sampling rate; the annotation signal is read for markers only.
/// </summary>
public sealed class EdfReplayDriver : IAmplifierDriver, IDisposable
{
    private readonly EdfReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly EdfReader _reader;
    private readonly int[] _signals;
    private readonly int _samplesPerRecord;
    private readonly IReadOnlyList<EventMarker> _events;
    private readonly Lock _gate = new();

    public EdfReplayDriver(EdfReplayOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _reader = EdfReader.Open(options.Path);
        var header = _reader.Header;
        if (_reader.CheckIntegrity().Problem is { } damage)
        {
            // Replaying a damaged file would put shifted bytes into the catalog as if they were EEG.
            throw new ArgumentException($"{options.Path} cannot be replayed: {damage}");
        }

        _signals = Enumerable.Range(0, header.Signals.Count).Where(i => !header.Signals[i].IsAnnotation).ToArray();
        if (_signals.Length == 0)
        {
            throw new ArgumentException($"{options.Path} has no ordinary signals to replay.");
        }

        var rates = _signals.Select(i => header.Signals[i].SamplesPerRecord).Distinct().ToArray();
        if (rates.Length != 1)
        {
            throw new ArgumentException($"{options.Path} mixes sampling rates ({string.Join(", ", rates.Select(r => r / header.RecordDurationSeconds))} Hz); replay needs one rate for all signals.");
        }

        _samplesPerRecord = rates[0];
        var fs = _samplesPerRecord / header.RecordDurationSeconds;
        if (fs != Math.Floor(fs))
        {
            throw new ArgumentException($"{options.Path} samples at {fs} Hz; replay needs a whole number of Hz.");
        }

        var channels = _signals.Select(i => header.Signals[i]).Select(s => new ChannelInfo(ElectrodeNames.Normalize(s.Label), TypeOf(s.Label), string.IsNullOrEmpty(s.PhysicalDimension) ? "uV" : s.PhysicalDimension)).ToArray();
        SessionRules.ValidateLayout(channels, fs);
        Device = new Device(options.DeviceId, "EDF replay", channels.All(c => c.Type == ChannelType.ECG) ? Modality.ECG : channels.All(c => c.Type == ChannelType.EMG) ? Modality.EMG : Modality.EEG, "edf-replay", channels, fs);
        TotalSamples = header.RecordCount * _samplesPerRecord;
        _events = _reader.ReadAnnotations()
            .Select(a => new EventMarker((long)Math.Round(a.OnsetSeconds * fs), (int)Math.Round(a.DurationSeconds * fs), Truncate(a.Text)))
            .Where(e => e.Sample >= 0 && e.Sample < TotalSamples)
            .ToArray();
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
            return _reader.ReadPhysical(_signals[channel], firstRecord, records);
        }
    }

    public IReadOnlyList<EventMarker> EventsBetween(long fromSample, long toSample) =>
        _events.Where(e => e.Sample >= fromSample && e.Sample < toSample).ToArray();

    public async IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSample);
        var end = Math.Min(untilSample, TotalSamples);
        var origin = _time.GetTimestamp();
        var fs = Device.SamplingRateHz;
        for (var first = fromSample; first < end;)
        {
            // Up to the end of the current data record.
            var record = first / _samplesPerRecord;
            var offset = (int)(first - (record * _samplesPerRecord));
            var count = (int)Math.Min(_samplesPerRecord - offset, end - first);
            var wait = TimeSpan.FromSeconds((first + count - fromSample) / fs / _options.Speed) - _time.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            var samples = new float[_signals.Length * count];
            for (var c = 0; c < _signals.Length; c++)
            {
                var values = ReadChannel(c, record, 1);
                for (var i = 0; i < count; i++)
                {
                    samples[(c * count) + i] = (float)values[offset + i];
                }
            }

            yield return new SampleBlock(first, _signals.Length, samples, EventsBetween(first, first + count));
            first += count;
        }
    }

    public void Dispose() => _reader.Dispose();

    private static ChannelType TypeOf(string label)
    {
        var upper = label.ToUpperInvariant();
        return upper.Contains("ECG", StringComparison.Ordinal) || upper.Contains("EKG", StringComparison.Ordinal) ? ChannelType.ECG
            : upper.Contains("EOG", StringComparison.Ordinal) ? ChannelType.EOG
            : upper.Contains("EMG", StringComparison.Ordinal) ? ChannelType.EMG
            : ChannelType.EEG;
    }

    private static string Truncate(string text)
    {
        var label = text.Trim();
        while (System.Text.Encoding.UTF8.GetByteCount(label) > EventMarker.MaxLabelBytes)
        {
            label = label[..^1];
        }

        return label;
    }
}

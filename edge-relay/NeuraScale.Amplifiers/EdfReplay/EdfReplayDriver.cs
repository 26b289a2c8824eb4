using System.Runtime.CompilerServices;
using NeuraScale.Amplifiers.Configuration;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>
/// Plays an EDF/EDF+/BDF recording back through the relay as an amplifier would deliver it: one data record per block,
/// paced at the recording's rate (times <see cref="EdfReplayOptions.Speed"/>), with its annotations as event markers.
/// Channels, units and markers are those an import gives (<see cref="EdfSessionSource"/>); the session's start time is
/// the replay's, as for any live recording — to keep the file's own clock, import it instead. A file has a fixed rate,
/// no gain and the reference it was recorded with: only the enabled channels and the mains frequency can be set.
/// </summary>
public sealed class EdfReplayDriver : IAmplifierDriver, IDisposable
{
    private readonly EdfReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly EdfSessionSource _source;
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _opened;
    private readonly string[] _inputs;
    private int[] _enabled;

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

        _inputs = _source.Channels.Select(c => c.Name).ToArray();
        _enabled = Enumerable.Range(0, _inputs.Length).ToArray();
        _opened = _time.GetUtcNow();
        Capabilities = new AmplifierCapabilities([_source.SamplingRateHz], [], _inputs, ["as-recorded"], [50, 60]);
        Settings = new AmplifierSettings(_source.SamplingRateHz, null, _inputs, "as-recorded", options.LineFrequencyHz, null);
        Device = Describe();
        TotalSamples = _source.SampleCount;
    }

    public Device Device { get; private set; }

    public AmplifierCapabilities Capabilities { get; }

    public AmplifierSettings Settings { get; private set; }

    /// <summary>Samples per channel in the file.</summary>
    public long TotalSamples { get; }

    public void Connect()
    {
    }

    public void Disconnect()
    {
    }

    public ConfigurationOutcome Configure(SettingsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var outcome = request.ApplyTo(Settings, Capabilities);
            Settings = outcome.Settings;
            _enabled = Settings.Channels.Select(c => Array.IndexOf(_inputs, c)).ToArray();
            Device = Describe();
            return outcome;
        }
    }

    /// <summary>A file has no electrodes to measure.</summary>
    public IReadOnlyList<double>? MeasureImpedance() => null;

    /// <summary>A file has no battery or front end; nothing is dropped.</summary>
    public AmplifierDiagnostics ReadDiagnostics() => new(null, null, _time.GetUtcNow() - _opened, 0, null, null);

    private Device Describe() => new(_options.DeviceId, "EDF replay", _source.Modality, "edf-replay", _enabled.Select(i => _source.Channels[i]).ToArray(), _source.SamplingRateHz);

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
        var enabled = _enabled;
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

            var samples = new float[enabled.Length * count];
            for (var c = 0; c < enabled.Length; c++)
            {
                var values = ReadChannel(enabled[c], record, 1);
                for (var i = 0; i < count; i++)
                {
                    samples[(c * count) + i] = (float)values[offset + i];
                }
            }

            yield return new SampleBlock(first, enabled.Length, samples, EventsBetween(first, first + count));
            first += count;
        }
    }

    public void Dispose() => _source.Dispose();
}

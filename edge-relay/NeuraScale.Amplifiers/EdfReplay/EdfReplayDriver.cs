using System.Runtime.CompilerServices;
using NeuraScale.Amplifiers.Configuration;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Amplifiers.EdfReplay;

/// <summary>
/// Plays an EDF/EDF+/BDF recording back through the relay as an amplifier would deliver it: one data record per block,
/// paced at the recording's rate (times <see cref="EdfReplayOptions.Speed"/>), with its annotations as event markers.
/// Several files with the same channels and rate play one after another (<see cref="EdfReplayOptions.ThenPaths"/>),
/// and the whole list again and again with <see cref="EdfReplayOptions.Loop"/>.
/// Channels, units and markers are those an import gives (<see cref="EdfSessionSource"/>); the session's start time is
/// the replay's, as for any live recording — to keep the file's own clock, import it instead. A file has a fixed rate,
/// no gain and the reference it was recorded with: only the enabled channels and the mains frequency can be set.
/// </summary>
public sealed class EdfReplayDriver : IAmplifierDriver, IDisposable
{
    private readonly EdfReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly EdfSessionSource _source;
    private readonly EdfSessionSource[] _files;
    private readonly long[] _fileStarts;
    private readonly long _cycleSamples;
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

        _files = [_source, .. options.ThenPaths.Select(path => Open(path, _source))];
        _fileStarts = new long[_files.Length];
        for (var i = 1; i < _files.Length; i++)
        {
            _fileStarts[i] = _fileStarts[i - 1] + _files[i - 1].SampleCount;
        }

        _cycleSamples = _fileStarts[^1] + _files[^1].SampleCount;
        _inputs = _source.Channels.Select(c => c.Name).ToArray();
        _enabled = Enumerable.Range(0, _inputs.Length).ToArray();
        _opened = _time.GetUtcNow();
        Capabilities = new AmplifierCapabilities([_source.SamplingRateHz], [], _inputs, ["as-recorded"], [50, 60]);
        Settings = new AmplifierSettings(_source.SamplingRateHz, null, _inputs, "as-recorded", options.LineFrequencyHz, null);
        Device = Describe();
        TotalSamples = options.Loop ? long.MaxValue : _cycleSamples;
    }

    /// <summary>A further file of the list: it must have the first's channels and rate, or the recording would change shape mid-way.</summary>
    private static EdfSessionSource Open(string path, EdfSessionSource first)
    {
        EdfSessionSource next;
        try
        {
            next = EdfSessionSource.Open(path);
        }
        catch (InvalidRequestException ex)
        {
            throw new ArgumentException($"{path} cannot be replayed: {ex.Message}");
        }

        if (next.SamplingRateHz != first.SamplingRateHz || next.SamplesPerRecord != first.SamplesPerRecord || !next.Channels.Select(c => c.Name).SequenceEqual(first.Channels.Select(c => c.Name)))
        {
            next.Dispose();
            throw new ArgumentException($"{path} cannot follow the first file: its channels, rate or record length differ (both must be {first.Channels.Count} channels at {first.SamplingRateHz} Hz).");
        }

        return next;
    }

    public Device Device { get; private set; }

    public AmplifierCapabilities Capabilities { get; }

    public AmplifierSettings Settings { get; private set; }

    /// <summary>Samples per channel in the files (unbounded when looping).</summary>
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

    /// <summary>The files' annotations between two samples of the replay, at their place in it.</summary>
    public IReadOnlyList<EventMarker> EventsBetween(long fromSample, long toSample)
    {
        var events = new List<EventMarker>();
        for (var cycle = fromSample / _cycleSamples; cycle * _cycleSamples < toSample; cycle++)
        {
            for (var f = 0; f < _files.Length; f++)
            {
                var shift = (cycle * _cycleSamples) + _fileStarts[f];
                events.AddRange(_files[f].Events.Select(e => e with { Sample = e.Sample + shift }).Where(e => e.Sample >= fromSample && e.Sample < toSample));
            }
        }

        return events;
    }

    /// <summary>Which file a sample of the replay comes from, and where in it.</summary>
    private (EdfSessionSource File, long Sample) Locate(long sample)
    {
        var within = sample % _cycleSamples;
        var f = Array.FindLastIndex(_fileStarts, start => start <= within);
        return (_files[f], within - _fileStarts[f]);
    }

    public async IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSample);
        var end = Math.Min(untilSample, TotalSamples);
        var origin = _time.GetTimestamp();
        var fs = Device.SamplingRateHz;
        var enabled = _enabled;
        for (var first = fromSample; first < end;)
        {
            // Up to the end of the current data record of the file this sample is in.
            var (file, at) = Locate(first);
            var record = at / file.SamplesPerRecord;
            var offset = (int)(at - (record * file.SamplesPerRecord));
            var count = (int)Math.Min(Math.Min(file.SamplesPerRecord - offset, file.SampleCount - at), end - first);
            var wait = TimeSpan.FromSeconds((first + count - fromSample) / fs / _options.Speed) - _time.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            var samples = new float[enabled.Length * count];
            for (var c = 0; c < enabled.Length; c++)
            {
                double[] values;
                lock (_gate)
                {
                    values = file.ReadChannel(enabled[c], record, 1);
                }

                for (var i = 0; i < count; i++)
                {
                    samples[(c * count) + i] = (float)values[offset + i];
                }
            }

            yield return new SampleBlock(first, enabled.Length, samples, EventsBetween(first, first + count));
            first += count;
        }
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }
}

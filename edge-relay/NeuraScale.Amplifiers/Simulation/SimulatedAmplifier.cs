using System.Runtime.CompilerServices;
using NeuraScale.Domain;

namespace NeuraScale.Amplifiers.Simulation;

/// <summary>
/// A simulated amplifier whose every sample is a pure function of (options, channel, sample index): the recording
/// can be regenerated anywhere — by the relay after a restart, by a test as ground truth.
/// <list type="bullet">
/// <item>EEG: 1/f background, alpha strongest at occipital sites, mains line noise growing with electrode impedance,
/// blinks on frontal sites, stimulus markers with an evoked positive component strongest at Pz.</item>
/// <item>ECG: PQRST beats at a fixed heart rate, baseline wander, line noise.</item>
/// <item>EMG: white-noise muscle activity in contraction bursts (marked), line noise.</item>
/// </list>
/// Values are in µV.
/// </summary>
public sealed class SimulatedAmplifier : IAmplifierDriver
{
    /// <summary>Alpha's phase-modulation index and rate: about 1 Hz of peak width, centred on the configured frequency.</summary>
    private const double AlphaWander = 1.2;

    private const double AlphaWanderHz = 0.23;
    private const ulong StreamPhases = 1, StreamWhite = 2, StreamBlink = 3, StreamStimulus = 4, StreamImpedance = 5, StreamBurst = 6, StreamBackground = 7;

    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ChannelModel[] _channels;
    private readonly double _fs;
    private readonly PinkNoiseShaper _background;

    /// <summary>Phase of the one alpha generator's slow envelope and frequency wander, shared by every channel.</summary>
    private readonly double _alphaGeneratorPhase;
    private readonly DateTimeOffset _poweredOn;

    public SimulatedAmplifier(SimulatorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _poweredOn = _time.GetUtcNow();
        _fs = options.SamplingRateHz;
        _background = new PinkNoiseShaper(_fs, options.BackgroundMicrovolts);
        _alphaGeneratorPhase = 2 * Math.PI * DeterministicRandom.Uniform(options.Seed, StreamPhases, 999_999);
        var names = Montages.For(options.Modality).Take(options.ChannelCount).ToArray();
        var unitType = Montages.ChannelTypeFor(options.Modality);
        _channels = names.Select((name, index) => new ChannelModel(name, index, options)).ToArray();
        Device = new Device(
            options.DeviceId,
            $"NeuraScale Simulator {options.Modality}",
            options.Modality,
            options.FirmwareVersion,
            names.Select(n => new ChannelInfo(n, unitType, "uV")).ToArray(),
            _fs);
    }

    public Device Device { get; }

    public SimulatorOptions Options => _options;

    /// <inheritdoc />
    public DeviceStatus ReadStatus()
    {
        var minutes = (_time.GetUtcNow() - _poweredOn).TotalMinutes;
        var battery = Math.Clamp(_options.InitialBatteryPercent - (0.5 * minutes), 0, 100);
        return new DeviceStatus(Math.Round(battery, 1), _channels.Select(c => c.ImpedanceKOhm).ToArray());
    }

    /// <summary>The value of one sample, µV, before float32 storage.</summary>
    public double Sample(int channel, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (_options.Modality != Modality.EEG)
        {
            return Sample(channel, index, 0);
        }

        var white = new double[_background.Length];
        BackgroundWhite(channel, index - _background.Reach, white);
        return Sample(channel, index, _background.Apply(white));
    }

    /// <summary>One sample, given its EEG background (already shaped; 0 for other modalities).</summary>
    private double Sample(int channel, long index, double background)
    {
        var t = index / _fs;
        var model = _channels[channel];
        var line = model.LineMicrovolts * Math.Sin((2 * Math.PI * _options.LineFrequencyHz * t) + model.LinePhase);
        var white = _options.WhiteNoiseMicrovolts * DeterministicRandom.Gaussian(_options.Seed, StreamWhite + ((ulong)channel << 8), (ulong)index);
        return line + white + _options.Modality switch
        {
            Modality.EEG => background + Eeg(model, t),
            Modality.ECG => Ecg(model, t),
            _ => Emg(model, index, t),
        };
    }

    /// <summary>Fills <paramref name="destination"/> (channel-major, float32 as stored) with samples [first, first + count).</summary>
    public void Generate(long firstSample, int count, Span<float> destination)
    {
        if (destination.Length < count * _channels.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; {count * _channels.Length} needed.", nameof(destination));
        }

        // The background's white noise is drawn once for the block (plus the filter's reach on both sides).
        var eeg = _options.Modality == Modality.EEG;
        var white = eeg ? new double[count + _background.Length - 1] : [];
        for (var c = 0; c < _channels.Length; c++)
        {
            if (eeg)
            {
                BackgroundWhite(c, firstSample - _background.Reach, white);
            }

            var row = destination.Slice(c * count, count);
            for (var i = 0; i < count; i++)
            {
                var background = eeg ? _background.Apply(white.AsSpan(i, _background.Length)) : 0;
                row[i] = (float)Sample(c, firstSample + i, background);
            }
        }
    }

    /// <summary>The background's white noise of one channel from sample <paramref name="first"/> on (negative indices too: the filter looks back before the start).</summary>
    private void BackgroundWhite(int channel, long first, Span<double> destination)
    {
        var stream = StreamBackground + ((ulong)channel << 8);
        for (var j = 0; j < destination.Length; j++)
        {
            destination[j] = DeterministicRandom.Gaussian(_options.Seed, stream, unchecked((ulong)(first + j)));
        }
    }

    /// <summary>Stimulus or contraction markers with onset in [from, to). ECG has none.</summary>
    public IReadOnlyList<EventMarker> EventsBetween(long fromSample, long toSample)
    {
        var markers = new List<EventMarker>();
        if (_options.Modality == Modality.ECG || toSample <= fromSample)
        {
            return markers;
        }

        var interval = _options.StimulusIntervalSeconds;
        var firstSlot = (long)Math.Max(0, Math.Floor((fromSample / _fs) / interval) - 1);
        var lastSlot = (long)Math.Floor((toSample / _fs) / interval);
        for (var slot = firstSlot; slot <= lastSlot; slot++)
        {
            if (Marker(slot) is { } marker && marker.Sample >= fromSample && marker.Sample < toSample)
            {
                markers.Add(marker);
            }
        }

        return markers;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSample);
        var block = _options.BlockSamples > 0 ? _options.BlockSamples : Math.Max(1, (int)(_fs / 10));
        var origin = _time.GetTimestamp();
        for (var first = fromSample; first < untilSample; first += block)
        {
            var count = (int)Math.Min(block, untilSample - first);
            // An amplifier delivers a block once its last sample has been acquired.
            var due = TimeSpan.FromSeconds((first + count - fromSample) / _fs / _options.Speed);
            var wait = due - _time.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var samples = new float[count * _channels.Length];
            Generate(first, count, samples);
            yield return new SampleBlock(first, _channels.Length, samples, EventsBetween(first, first + count));
        }
    }

    private EventMarker? Marker(long slot)
    {
        var interval = _options.StimulusIntervalSeconds;
        var jitter = DeterministicRandom.Uniform(_options.Seed, StreamStimulus, (ulong)slot);
        var onset = (long)Math.Round(((slot * interval) + (interval * (0.25 + (0.25 * jitter)))) * _fs);
        if (_options.Modality == Modality.EMG)
        {
            return BurstActive(slot) ? new EventMarker(onset, (int)Math.Round(0.5 * interval * _fs), "contraction") : null;
        }

        var target = DeterministicRandom.Uniform(_options.Seed, StreamStimulus + 100, (ulong)slot) < _options.TargetProbability;
        return new EventMarker(onset, 0, target ? "stimulus/target" : "stimulus/standard");
    }

    private bool BurstActive(long slot) => DeterministicRandom.Uniform(_options.Seed, StreamBurst, (ulong)slot) < 0.5;

    private double Eeg(ChannelModel model, double t)
    {
        // The 1/f background is added by the caller (shaped noise, see PinkNoiseShaper). One alpha generator seen by every channel (weight and phase per channel), so alpha is coherent across the
        // scalp; it waxes and wanes slowly (0.1 Hz envelope) and wanders ±0.5 Hz around its frequency, as resting alpha does.
        var envelope = 1 + (0.4 * Math.Sin((2 * Math.PI * 0.1 * t) + _alphaGeneratorPhase));
        var alphaWander = AlphaWander * Math.Sin((2 * Math.PI * AlphaWanderHz * t) + _alphaGeneratorPhase);
        var value = _options.AlphaMicrovolts * model.AlphaWeight * envelope * Math.Sin((2 * Math.PI * _options.AlphaFrequencyHz * t) + model.AlphaPhase + alphaWander);
        value += Blinks(model, t);
        value += Evoked(model, t);
        return value;
    }

    private double Blinks(ChannelModel model, double t)
    {
        if (model.BlinkWeight == 0 || _options.BlinkRatePerSecond == 0)
        {
            return 0;
        }

        var value = 0.0;
        var second = (long)Math.Floor(t);
        for (var s = Math.Max(0, second - 1); s <= second + 1; s++)
        {
            if (DeterministicRandom.Uniform(_options.Seed, StreamBlink, (ulong)s) >= _options.BlinkRatePerSecond)
            {
                continue;
            }

            var at = s + (0.8 * DeterministicRandom.Uniform(_options.Seed, StreamBlink + 100, (ulong)s));
            var x = (t - at) / 0.1;
            value += 150 * model.BlinkWeight * Math.Exp(-x * x);
        }

        return value;
    }

    private double Evoked(ChannelModel model, double t)
    {
        if (model.EvokedWeight == 0)
        {
            return 0;
        }

        var interval = _options.StimulusIntervalSeconds;
        var slot = (long)Math.Floor(t / interval);
        var value = 0.0;
        for (var s = Math.Max(0, slot - 1); s <= slot; s++)
        {
            if (Marker(s) is not { } marker)
            {
                continue;
            }

            var gain = marker.Label == "stimulus/target" ? 1.0 : 0.3;
            var x = (t - (marker.Sample / _fs) - _options.EvokedLatencySeconds) / 0.06;
            value += _options.EvokedMicrovolts * gain * model.EvokedWeight * Math.Exp(-0.5 * x * x);
        }

        return value;
    }

    private double Ecg(ChannelModel model, double t)
    {
        var rr = 60.0 / _options.HeartRateBpm;
        var beat = Math.Floor(t / rr);
        var value = 50 * Math.Sin((2 * Math.PI * 0.3 * t) + model.AlphaPhase); // baseline wander (respiration)
        for (var b = beat - 1; b <= beat + 1; b++)
        {
            // PQRST as Gaussians (after McSharry et al. 2003, ECGSYN): offset s from the R peak, width s, amplitude µV.
            var phase = t - ((b * rr) + (0.4 * rr));
            value += model.EcgGain * (
                Wave(phase, -0.20, 0.025, 120)
                + Wave(phase, -0.035, 0.010, -150)
                + Wave(phase, 0.0, 0.011, 1100)
                + Wave(phase, 0.035, 0.010, -250)
                + Wave(phase, 0.26, 0.045, 300));
        }

        return value;

        static double Wave(double phase, double centre, double width, double amplitude)
        {
            var x = (phase - centre) / width;
            return amplitude * Math.Exp(-0.5 * x * x);
        }
    }

    private double Emg(ChannelModel model, long index, double t)
    {
        var interval = _options.StimulusIntervalSeconds;
        var slot = (long)Math.Floor(t / interval);
        var active = Marker(slot) is { } marker && index >= marker.Sample && index < marker.Sample + marker.DurationSamples;
        var amplitude = active ? 60.0 * model.EmgGain : 3.0;
        return amplitude * DeterministicRandom.Gaussian(_options.Seed, StreamBurst + 1000 + (ulong)model.Index, (ulong)index);
    }

    /// <summary>Per-channel constants: spatial weights, phases, impedance.</summary>
    private sealed class ChannelModel
    {
        public ChannelModel(string name, int index, SimulatorOptions o)
        {
            Index = index;
            var seed = o.Seed;
            var stream = StreamPhases + ((ulong)index << 16);
            var poor = o.PoorContactChannels.Contains(name, StringComparer.OrdinalIgnoreCase);
            var z = DeterministicRandom.Uniform(seed, StreamImpedance, (ulong)index);
            ImpedanceKOhm = Math.Round(poor ? 25 + (35 * z) : 2 + (6 * z), 1);
            LineMicrovolts = o.LineNoiseMicrovolts * ImpedanceKOhm / 5.0;
            LinePhase = 2 * Math.PI * DeterministicRandom.Uniform(seed, stream, 0);
            AlphaPhase = 2 * Math.PI * DeterministicRandom.Uniform(seed, stream, 1);

            AlphaWeight = Region(name) switch { "O" => 1.0, "PO" => 0.8, "P" => 0.55, "C" or "CP" or "T" or "TP" => 0.3, _ => 0.15 };
            BlinkWeight = o.Modality != Modality.EEG ? 0 : Region(name) switch { "Fp" => 1.0, "AF" => 0.6, "F" => 0.3, "FC" or "FT" => 0.1, _ => 0.02 };
            EvokedWeight = o.Modality != Modality.EEG ? 0 : name switch
            {
                "Pz" => 1.0,
                "CPz" or "POz" or "P1" or "P2" => 0.9,
                "Cz" or "P3" or "P4" or "CP1" or "CP2" => 0.8,
                _ => Region(name) switch { "P" or "CP" or "PO" => 0.5, "C" or "O" => 0.4, _ => 0.15 },
            };
            EcgGain = name switch { "I" => 0.6, "II" => 1.0, "III" => 0.4, "aVR" => -0.8, "aVL" => 0.1, "aVF" => 0.7, _ => 0.5 + (0.1 * index) };
            EmgGain = 0.7 + (0.6 * z);
        }

        public int Index { get; }
        public double ImpedanceKOhm { get; }
        public double LineMicrovolts { get; }
        public double LinePhase { get; }
        public double AlphaPhase { get; }
        public double AlphaWeight { get; }
        public double BlinkWeight { get; }
        public double EvokedWeight { get; }
        public double EcgGain { get; }
        public double EmgGain { get; }

        /// <summary>The letter prefix of a 10-20 label: "Fp", "AF", "F", "FC", "C", "CP", "P", "PO", "O", "T", ...</summary>
        private static string Region(string name)
        {
            var letters = new string(name.TakeWhile(char.IsLetter).ToArray());
            return letters.EndsWith('z') ? letters[..^1] : letters;
        }
    }
}

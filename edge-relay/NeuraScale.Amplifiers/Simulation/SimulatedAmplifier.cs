using System.Runtime.CompilerServices;
using NeuraScale.Amplifiers.Configuration;
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
/// Faults as configured (<see cref="SimulatorOptions"/>): flat and railed inputs, electrode pops, muscle bursts,
/// dropped samples (held at the previous value on every channel), each with ground truth to check detection against.
/// The converter clips at ±4.5 V / gain; an "average" reference is taken over the enabled channels after clipping.
/// Values are in µV.
/// </summary>
public sealed class SimulatedAmplifier : IAmplifierDriver, IMarkerObserver
{
    /// <summary>Alpha's phase-modulation index and rate: about 1 Hz of peak width, centred on the configured frequency.</summary>
    private const double AlphaWander = 1.2;

    private const double AlphaWanderHz = 0.23;
    private const double PopDecaySeconds = 0.25;
    private const double MuscleMicrovolts = 80;
    private const ulong StreamPhases = 1, StreamWhite = 2, StreamBlink = 3, StreamStimulus = 4, StreamImpedance = 5, StreamBurst = 6, StreamBackground = 7,
        StreamPop = 8, StreamMuscle = 9, StreamDrop = 10;

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _poweredOn;
    private readonly Lock _gate = new();
    private readonly EyeStateTimeline _eyes = new();
    private Layout _layout;
    private DateTimeOffset? _connectedAt;
    private long _dropped;

    public SimulatedAmplifier(SimulatorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _poweredOn = _time.GetUtcNow();
        _layout = new Layout(options.Clone(), options.LineFrequencyHz, _eyes);
        var inputs = options.Inputs();
        var rates = Simulation.Capabilities.SamplingRatesFor(options.Modality);
        Capabilities = new AmplifierCapabilities(
            rates.Contains(options.SamplingRateHz) ? rates : [.. rates.Append(options.SamplingRateHz).Order()],
            Simulation.Capabilities.Gains,
            inputs,
            Simulation.Capabilities.ReferencesFor(options.Modality),
            Simulation.Capabilities.LineFrequenciesHz);
    }

    /// <summary>What the device is with its current settings (channels, rate).</summary>
    public Device Device => _layout.Device;

    /// <summary>The options that generate the current signal: a new simulator with these gives the same samples.</summary>
    public SimulatorOptions Options => _layout.Options;

    public AmplifierSettings Settings => _layout.Settings;

    public AmplifierCapabilities Capabilities { get; }

    public void Connect()
    {
        lock (_gate)
        {
            _connectedAt ??= _time.GetUtcNow();
        }
    }

    public void Disconnect()
    {
        lock (_gate)
        {
            _connectedAt = null;
        }
    }

    /// <inheritdoc />
    public ConfigurationOutcome Configure(SettingsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var outcome = request.ApplyTo(_layout.Settings, Capabilities, Simulation.Capabilities.InputRangeMicrovolts);
            if (outcome.Applied.Count > 0)
            {
                var settings = outcome.Settings;
                var options = _layout.Options.Clone();
                options.SamplingRateHz = settings.SamplingRateHz;
                options.Gain = settings.Gain ?? options.Gain;
                options.Reference = settings.Reference;
                options.Channels = [.. settings.Channels];
                options.Validate();
                _layout = new Layout(options, settings.LineFrequencyHz, _eyes);
            }

            return outcome with { Settings = _layout.Settings };
        }
    }

    /// <summary>Electrode impedance of each enabled channel, kΩ: 2–8 good, 25–60 poor contact, ≈ 0 shorted (flat), &gt; 1 MΩ off (railed).</summary>
    public IReadOnlyList<double>? MeasureImpedance() => _layout.Models.Select(m => m.ImpedanceKOhm).ToArray();

    /// <inheritdoc />
    public AmplifierDiagnostics ReadDiagnostics()
    {
        var now = _time.GetUtcNow();
        var options = _layout.Options;
        var minutes = (now - _poweredOn).TotalMinutes;
        var battery = Math.Clamp(options.InitialBatteryPercent - (0.5 * minutes), 0, 100);
        var temperature = options.AmbientTemperatureCelsius + 4 + (8 * (1 - Math.Exp(-minutes / 15)));
        double? offset = _connectedAt is { } since ? options.ClockDriftPpm * 1e-6 * (now - since).TotalMilliseconds : null;
        return new AmplifierDiagnostics(Math.Round(battery, 1), Math.Round(temperature, 1), now - _poweredOn, Interlocked.Read(ref _dropped), options.ClockDriftPpm, offset is { } o ? Math.Round(o, 3) : null);
    }

    /// <summary>The value of one sample, µV, before float32 storage: exactly what <see cref="Generate"/> delivers.</summary>
    public double Sample(int channel, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var layout = _layout;
        var kept = LastKept(layout, index);
        if (layout.AverageReference)
        {
            var column = new double[layout.Models.Length];
            Raw(layout, kept, 1, column);
            return column[channel];
        }

        var value = new double[1];
        RawChannel(layout, layout.Models[channel], kept, value);
        return value[0];
    }

    /// <summary>Fills <paramref name="destination"/> (channel-major, float32 as stored) with samples [first, first + count).</summary>
    public void Generate(long firstSample, int count, Span<float> destination)
    {
        var layout = _layout;
        var channels = layout.Models.Length;
        if (destination.Length < count * channels)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; {count * channels} needed.", nameof(destination));
        }

        // A dropped sample repeats the one before it, so a block starting inside a run of drops starts from the last kept one.
        var start = LastKept(layout, firstSample);
        var lead = (int)(firstSample - start);
        var n = lead + count;
        var values = new double[channels * n];
        Raw(layout, start, n, values);
        for (var i = 1; i < n; i++)
        {
            if (layout.Dropped(start + i))
            {
                for (var c = 0; c < channels; c++)
                {
                    values[(c * n) + i] = values[(c * n) + i - 1];
                }
            }
        }

        for (var c = 0; c < channels; c++)
        {
            var row = destination.Slice(c * count, count);
            for (var i = 0; i < count; i++)
            {
                row[i] = (float)values[(c * n) + lead + i];
            }
        }
    }

    /// <summary>Ground truth: samples in [from, to) lost between amplifier and relay.</summary>
    public long DroppedBetween(long fromSample, long toSample)
    {
        var layout = _layout;
        long dropped = 0;
        for (var i = Math.Max(1, fromSample); i < toSample; i++)
        {
            dropped += layout.Dropped(i) ? 1 : 0;
        }

        return dropped;
    }

    /// <summary>Ground truth: the sample of each blink's peak in [from, to) (EEG; 150 µV at Fp1/Fp2).</summary>
    public IReadOnlyList<long> BlinksBetween(long fromSample, long toSample)
    {
        var layout = _layout;
        var blinks = new List<long>();
        if (layout.Options.Modality != Modality.EEG)
        {
            return blinks;
        }

        for (var s = (long)Math.Floor(fromSample / layout.Fs) - 1; s <= (long)Math.Ceiling(toSample / layout.Fs); s++)
        {
            if (s >= 0 && BlinkAt(layout.Options, s) is { } at && Math.Round(at * layout.Fs) is var sample && sample >= fromSample && sample < toSample)
            {
                blinks.Add((long)sample);
            }
        }

        return blinks;
    }

    /// <summary>Ground truth: electrode pops in [from, to) as (enabled channel index, first sample of the step).</summary>
    public IReadOnlyList<(int Channel, long Sample)> PopsBetween(long fromSample, long toSample)
    {
        var layout = _layout;
        var pops = new List<(int, long)>();
        for (var c = 0; c < layout.Models.Length; c++)
        {
            if (!layout.Models[c].Pops)
            {
                continue;
            }

            for (var s = (long)Math.Floor(fromSample / layout.Fs) - 1; s <= (long)Math.Ceiling(toSample / layout.Fs); s++)
            {
                if (s >= 0 && PopAt(layout.Options, layout.Models[c], s) is { } pop && (long)Math.Ceiling(pop.Onset * layout.Fs) is var sample && sample >= fromSample && sample < toSample)
                {
                    pops.Add((c, sample));
                }
            }
        }

        return pops;
    }

    /// <summary>Ground truth: muscle bursts overlapping [from, to), as sample ranges [start, end).</summary>
    public IReadOnlyList<(long Start, long End)> MuscleBurstsBetween(long fromSample, long toSample)
    {
        var layout = _layout;
        var bursts = new List<(long, long)>();
        if (!layout.Models.Any(m => m.Muscle))
        {
            return bursts;
        }

        for (var slot = (long)Math.Floor(fromSample / layout.Fs / 2) - 1; slot <= (long)Math.Ceiling(toSample / layout.Fs / 2); slot++)
        {
            if (slot >= 0 && MuscleBurstAt(layout.Options, slot) is { } burst)
            {
                var (start, end) = ((long)Math.Ceiling(burst.Start * layout.Fs), (long)Math.Ceiling(burst.End * layout.Fs));
                if (end > fromSample && start < toSample)
                {
                    bursts.Add((start, end));
                }
            }
        }

        return bursts;
    }

    /// <summary>Eyes open / closed markers switch the alpha rhythm (<see cref="SimulatorOptions.EyesOpenAlphaFactor"/>) from their sample on.</summary>
    public void OnMarker(EventMarker marker)
    {
        ArgumentNullException.ThrowIfNull(marker);
        if (EyeStateTimeline.EyesOpen(marker.Label) is { } open)
        {
            _eyes.Set(marker.Sample, open ? _layout.Options.EyesOpenAlphaFactor : 1);
        }
    }

    /// <summary>Stimulus or contraction markers with onset in [from, to). ECG has none.</summary>
    public IReadOnlyList<EventMarker> EventsBetween(long fromSample, long toSample) => EventsBetween(_layout, fromSample, toSample);

    /// <inheritdoc />
    public async IAsyncEnumerable<SampleBlock> ReadAsync(long fromSample, long untilSample, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSample);
        var layout = _layout;
        var options = layout.Options;
        var block = options.BlockSamples > 0 ? Math.Min(options.BlockSamples, (int)layout.Fs) : Math.Max(1, (int)(layout.Fs / 10));
        var origin = _time.GetTimestamp();
        // The device's clock runs ClockDriftPpm fast: its samples arrive that much sooner than the nominal rate says.
        var clock = 1 + (options.ClockDriftPpm * 1e-6);
        for (var first = fromSample; first < untilSample; first += block)
        {
            var count = (int)Math.Min(block, untilSample - first);
            // An amplifier delivers a block once its last sample has been acquired.
            var due = TimeSpan.FromSeconds((first + count - fromSample) / layout.Fs / options.Speed / clock);
            var wait = due - _time.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var samples = new float[count * layout.Models.Length];
            Generate(first, count, samples);
            Interlocked.Add(ref _dropped, DroppedBetween(first, first + count));
            yield return new SampleBlock(first, layout.Models.Length, samples, EventsBetween(layout, first, first + count));
        }
    }

    private static long LastKept(Layout layout, long index)
    {
        while (index > 0 && layout.Dropped(index))
        {
            index--;
        }

        return index;
    }

    /// <summary>Every enabled channel's samples [start, start + n) into <paramref name="values"/> (channel-major), clipped and referenced as the device delivers them.</summary>
    private static void Raw(Layout layout, long start, int n, Span<double> values)
    {
        var channels = layout.Models.Length;
        for (var c = 0; c < channels; c++)
        {
            RawChannel(layout, layout.Models[c], start, values.Slice(c * n, n));
        }

        if (!layout.AverageReference)
        {
            return;
        }

        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var c = 0; c < channels; c++)
            {
                sum += values[(c * n) + i];
            }

            var mean = sum / channels;
            for (var c = 0; c < channels; c++)
            {
                values[(c * n) + i] -= mean;
            }
        }
    }

    /// <summary>One channel against the hardware reference, with its faults, clipped to the converter's range.</summary>
    private static void RawChannel(Layout layout, ChannelModel model, long start, Span<double> destination)
    {
        if (model.Flat)
        {
            destination.Clear();
            return;
        }

        if (model.Railed)
        {
            destination.Fill(layout.Range);
            return;
        }

        // The background's white noise is drawn once for the block (plus the filter's reach on both sides).
        var eeg = layout.Options.Modality == Modality.EEG;
        var white = eeg ? new double[destination.Length + layout.Background.Length - 1] : [];
        if (eeg)
        {
            BackgroundWhite(layout.Options, model.Index, start - layout.Background.Reach, white);
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var index = start + i;
            var t = index / layout.Fs;
            var background = eeg ? layout.Background.Apply(white.AsSpan(i, layout.Background.Length)) : 0;
            var value = Sample(layout, model, index, background) + Pop(layout.Options, model, t) + Muscle(layout.Options, model, index, t, layout.Fs);
            destination[i] = Math.Clamp(value, -layout.Range, layout.Range);
        }
    }

    /// <summary>The background's white noise of one input from sample <paramref name="first"/> on (negative indices too: the filter looks back before the start).</summary>
    private static void BackgroundWhite(SimulatorOptions options, int input, long first, Span<double> destination)
    {
        var stream = StreamBackground + ((ulong)input << 8);
        for (var j = 0; j < destination.Length; j++)
        {
            destination[j] = DeterministicRandom.Gaussian(options.Seed, stream, unchecked((ulong)(first + j)));
        }
    }

    /// <summary>One sample of the physiological signal plus line and amplifier noise, given its EEG background (0 for other modalities).</summary>
    private static double Sample(Layout layout, ChannelModel model, long index, double background)
    {
        var options = layout.Options;
        var t = index / layout.Fs;
        var line = model.LineMicrovolts * Math.Sin((2 * Math.PI * options.LineFrequencyHz * t) + model.LinePhase);
        var white = options.WhiteNoiseMicrovolts * DeterministicRandom.Gaussian(options.Seed, StreamWhite + ((ulong)model.Index << 8), (ulong)index);
        return line + white + options.Modality switch
        {
            Modality.EEG => background + Eeg(layout, model, index, t),
            Modality.ECG => Ecg(options, model, t),
            _ => Emg(layout, model, index, t),
        };
    }

    private static List<EventMarker> EventsBetween(Layout layout, long fromSample, long toSample)
    {
        var markers = new List<EventMarker>();
        if (layout.Options.Modality == Modality.ECG || toSample <= fromSample)
        {
            return markers;
        }

        var interval = layout.Options.StimulusIntervalSeconds;
        var firstSlot = (long)Math.Max(0, Math.Floor((fromSample / layout.Fs) / interval) - 1);
        var lastSlot = (long)Math.Floor((toSample / layout.Fs) / interval);
        for (var slot = firstSlot; slot <= lastSlot; slot++)
        {
            if (Marker(layout, slot) is { } marker && marker.Sample >= fromSample && marker.Sample < toSample)
            {
                markers.Add(marker);
            }
        }

        return markers;
    }

    /// <summary>A pop on one input in the second starting at <paramref name="second"/>: onset (s) and signed amplitude (µV).</summary>
    private static (double Onset, double Amplitude)? PopAt(SimulatorOptions options, ChannelModel model, long second)
    {
        var stream = StreamPop + ((ulong)model.Index << 8);
        if (DeterministicRandom.Uniform(options.Seed, stream, (ulong)second) >= options.PopsPerMinute / 60)
        {
            return null;
        }

        var onset = second + DeterministicRandom.Uniform(options.Seed, stream + 1, (ulong)second);
        var amplitude = 150 + (250 * DeterministicRandom.Uniform(options.Seed, stream + 2, (ulong)second));
        var sign = DeterministicRandom.Uniform(options.Seed, stream + 3, (ulong)second) < 0.5 ? -1 : 1;
        return (onset, sign * amplitude);
    }

    private static double Pop(SimulatorOptions options, ChannelModel model, double t)
    {
        if (!model.Pops || options.PopsPerMinute == 0)
        {
            return 0;
        }

        var value = 0.0;
        var second = (long)Math.Floor(t);
        for (var s = Math.Max(0, second - 3); s <= second; s++)
        {
            if (PopAt(options, model, s) is { } pop && t >= pop.Onset)
            {
                value += pop.Amplitude * Math.Exp(-(t - pop.Onset) / PopDecaySeconds);
            }
        }

        return value;
    }

    /// <summary>A muscle burst in the 2 s slot <paramref name="slot"/>: start and end, s (it ends inside its slot).</summary>
    private static (double Start, double End)? MuscleBurstAt(SimulatorOptions options, long slot)
    {
        if (DeterministicRandom.Uniform(options.Seed, StreamMuscle, (ulong)slot) >= options.MuscleBurstsPerMinute / 30)
        {
            return null;
        }

        var start = (2 * slot) + (0.8 * DeterministicRandom.Uniform(options.Seed, StreamMuscle + 1, (ulong)slot));
        return (start, start + 0.4 + (0.8 * DeterministicRandom.Uniform(options.Seed, StreamMuscle + 2, (ulong)slot)));
    }

    private static double Muscle(SimulatorOptions options, ChannelModel model, long index, double t, double fs)
    {
        if (!model.Muscle || options.MuscleBurstsPerMinute == 0 || MuscleBurstAt(options, (long)Math.Floor(t / 2)) is not { } burst || t < burst.Start || t >= burst.End)
        {
            return 0;
        }

        // 50 ms raised-cosine edges: a clench builds up and relaxes rather than switching.
        var edge = Math.Min(Math.Min(t - burst.Start, burst.End - t) / 0.05, 1);
        var envelope = 0.5 - (0.5 * Math.Cos(Math.PI * edge));
        // Broadband at a fixed density (51 µV²/Hz: 80 µV rms at 250 Hz), so a burst is as strong in 20–150 Hz at any rate.
        return MuscleMicrovolts * Math.Sqrt(fs / 250) * envelope * DeterministicRandom.Gaussian(options.Seed, StreamMuscle + 1000 + ((ulong)model.Index << 8), (ulong)index);
    }

    private static double? BlinkAt(SimulatorOptions options, long second) =>
        DeterministicRandom.Uniform(options.Seed, StreamBlink, (ulong)second) < options.BlinkRatePerSecond
            ? second + (0.8 * DeterministicRandom.Uniform(options.Seed, StreamBlink + 100, (ulong)second))
            : null;

    private static EventMarker? Marker(Layout layout, long slot)
    {
        var options = layout.Options;
        var interval = options.StimulusIntervalSeconds;
        var jitter = DeterministicRandom.Uniform(options.Seed, StreamStimulus, (ulong)slot);
        var onset = (long)Math.Round(((slot * interval) + (interval * (0.25 + (0.25 * jitter)))) * layout.Fs);
        if (options.Modality == Modality.EMG)
        {
            return BurstActive(options, slot) ? new EventMarker(onset, (int)Math.Round(0.5 * interval * layout.Fs), "contraction") : null;
        }

        var target = DeterministicRandom.Uniform(options.Seed, StreamStimulus + 100, (ulong)slot) < options.TargetProbability;
        return new EventMarker(onset, 0, target ? "stimulus/target" : "stimulus/standard");
    }

    private static bool BurstActive(SimulatorOptions options, long slot) => DeterministicRandom.Uniform(options.Seed, StreamBurst, (ulong)slot) < 0.5;

    private static double Eeg(Layout layout, ChannelModel model, long index, double t)
    {
        var options = layout.Options;
        // The 1/f background is added by the caller (shaped noise, see PinkNoiseShaper). One alpha generator seen by every channel (weight and phase per channel), so alpha is coherent across the
        // scalp; it waxes and wanes slowly (0.1 Hz envelope) and wanders ±0.5 Hz around its frequency, as resting alpha does.
        var envelope = 1 + (0.4 * Math.Sin((2 * Math.PI * 0.1 * t) + layout.AlphaGeneratorPhase));
        var alphaWander = AlphaWander * Math.Sin((2 * Math.PI * AlphaWanderHz * t) + layout.AlphaGeneratorPhase);
        var value = options.AlphaMicrovolts * layout.Eyes.Factor(index) * model.AlphaWeight * envelope * Math.Sin((2 * Math.PI * options.AlphaFrequencyHz * t) + model.AlphaPhase + alphaWander);
        value += Blinks(options, model, t);
        value += Evoked(layout, model, t);
        return value;
    }

    private static double Blinks(SimulatorOptions options, ChannelModel model, double t)
    {
        if (model.BlinkWeight == 0 || options.BlinkRatePerSecond == 0)
        {
            return 0;
        }

        var value = 0.0;
        var second = (long)Math.Floor(t);
        for (var s = Math.Max(0, second - 1); s <= second + 1; s++)
        {
            if (BlinkAt(options, s) is { } at)
            {
                var x = (t - at) / 0.1;
                value += 150 * model.BlinkWeight * Math.Exp(-x * x);
            }
        }

        return value;
    }

    private static double Evoked(Layout layout, ChannelModel model, double t)
    {
        if (model.EvokedWeight == 0)
        {
            return 0;
        }

        var options = layout.Options;
        var interval = options.StimulusIntervalSeconds;
        var slot = (long)Math.Floor(t / interval);
        var value = 0.0;
        for (var s = Math.Max(0, slot - 1); s <= slot; s++)
        {
            if (Marker(layout, s) is not { } marker)
            {
                continue;
            }

            var gain = marker.Label == "stimulus/target" ? 1.0 : 0.3;
            var x = (t - (marker.Sample / layout.Fs) - options.EvokedLatencySeconds) / 0.06;
            value += options.EvokedMicrovolts * gain * model.EvokedWeight * Math.Exp(-0.5 * x * x);
        }

        return value;
    }

    private static double Ecg(SimulatorOptions options, ChannelModel model, double t)
    {
        var rr = 60.0 / options.HeartRateBpm;
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

    private static double Emg(Layout layout, ChannelModel model, long index, double t)
    {
        var options = layout.Options;
        var interval = options.StimulusIntervalSeconds;
        var slot = (long)Math.Floor(t / interval);
        var active = Marker(layout, slot) is { } marker && index >= marker.Sample && index < marker.Sample + marker.DurationSamples;
        var amplitude = active ? 60.0 * model.EmgGain : 3.0;
        return amplitude * DeterministicRandom.Gaussian(options.Seed, StreamBurst + 1000 + (ulong)model.Index, (ulong)index);
    }

    /// <summary>
    /// Everything that follows from the current settings, swapped as one when the device is configured, so a block is
    /// never generated half with the old settings and half with the new.
    /// </summary>
    private sealed class Layout
    {
        public Layout(SimulatorOptions options, double lineFrequencySetting, EyeStateTimeline eyes)
        {
            Options = options;
            Eyes = eyes;
            Fs = options.SamplingRateHz;
            Range = Simulation.Capabilities.InputRangeMicrovolts(options.Gain);
            Background = new PinkNoiseShaper(Fs, options.BackgroundMicrovolts);
            AlphaGeneratorPhase = 2 * Math.PI * DeterministicRandom.Uniform(options.Seed, StreamPhases, 999_999);
            var montage = Montages.For(options.Modality);
            var names = options.EnabledChannels();
            Models = names.Select(name => new ChannelModel(name, IndexIn(montage, name), options)).ToArray();
            var reference = options.Reference.Length == 0 ? Simulation.Capabilities.ReferencesFor(options.Modality)[0] : options.Reference.ToLowerInvariant();
            AverageReference = reference == "average";
            var unitType = Montages.ChannelTypeFor(options.Modality);
            Device = new Device(options.DeviceId, $"NeuraScale Simulator {options.Modality}", options.Modality, options.FirmwareVersion, names.Select(n => new ChannelInfo(n, unitType, "uV")).ToArray(), Fs);
            Settings = new AmplifierSettings(Fs, options.Gain, names, reference, lineFrequencySetting, Range);
            _dropProbability = options.DroppedSamplesPerMinute / (60 * Fs);
        }

        private readonly double _dropProbability;

        public SimulatorOptions Options { get; }
        public EyeStateTimeline Eyes { get; }
        public double Fs { get; }
        public double Range { get; }
        public PinkNoiseShaper Background { get; }
        public double AlphaGeneratorPhase { get; }
        public ChannelModel[] Models { get; }
        public bool AverageReference { get; }
        public Device Device { get; }
        public AmplifierSettings Settings { get; }

        private static int IndexIn(IReadOnlyList<string> montage, string name)
        {
            for (var i = 0; i < montage.Count; i++)
            {
                if (montage[i] == name)
                {
                    return i;
                }
            }

            throw new ArgumentException($"'{name}' is not in the montage.", nameof(name));
        }

        /// <summary>Whether sample <paramref name="index"/> was lost on its way to the relay (never the first).</summary>
        public bool Dropped(long index) => _dropProbability > 0 && index > 0 && DeterministicRandom.Uniform(Options.Seed, StreamDrop, (ulong)index) < _dropProbability;
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
            Flat = o.FlatChannels.Contains(name, StringComparer.OrdinalIgnoreCase);
            Railed = o.RailedChannels.Contains(name, StringComparer.OrdinalIgnoreCase);
            Pops = o.PopChannels.Contains(name, StringComparer.OrdinalIgnoreCase);
            Muscle = o.MuscleChannels.Contains(name, StringComparer.OrdinalIgnoreCase);
            var z = DeterministicRandom.Uniform(seed, StreamImpedance, (ulong)index);
            ImpedanceKOhm = Railed ? Math.Round(1500 + (1000 * z)) : Flat ? 0.2 : Math.Round(poor ? 25 + (35 * z) : 2 + (6 * z), 1);
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

        /// <summary>Position in the full montage: seeds every random stream, so a channel's signal is the same whichever others are enabled.</summary>
        public int Index { get; }
        public double ImpedanceKOhm { get; }
        public bool Flat { get; }
        public bool Railed { get; }
        public bool Pops { get; }
        public bool Muscle { get; }
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

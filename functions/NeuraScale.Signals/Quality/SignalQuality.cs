using NeuraScale.Signals.Spectral;

namespace NeuraScale.Signals.Quality;

/// <summary>What the assessment needs to know besides the samples.</summary>
/// <param name="SamplingRateHz">Samples per second per channel.</param>
/// <param name="ChannelNames">One per channel, in sample order.</param>
/// <param name="Profile">The modality's bands and detectors.</param>
/// <param name="ConfiguredLineFrequencyHz">The mains frequency the device is set to: used when no mains peak stands out.</param>
/// <param name="InputRangeMicrovolts">The converter's limit, to recognise railed channels; null when unknown.</param>
/// <param name="BlinkChannels">Indices of frontal channels to look for blinks on (Fp1/Fp2); empty to skip.</param>
/// <param name="DroppedSamples">Samples the device reported lost during the stretch.</param>
public sealed record QualityInput(
    double SamplingRateHz,
    IReadOnlyList<string> ChannelNames,
    QualityProfile Profile,
    double ConfiguredLineFrequencyHz,
    double? InputRangeMicrovolts,
    IReadOnlyList<int> BlinkChannels,
    long DroppedSamples = 0);

/// <summary>
/// Signal quality of a stretch of multichannel signal, as a pure function of the samples: the same samples give the
/// same report. Spectra are Welch's (Hann, 2 s segments, half overlap — scipy.signal.welch with nperseg = 2·fs), so
/// the spectral figures can be recomputed independently; artifacts are found in the time domain.
/// </summary>
public static class SignalQuality
{
    public const double MinimumSeconds = 2;

    /// <summary>A peak at a mains frequency this far above its neighbourhood (median over channels) is mains.</summary>
    public const double MainsDetectionDb = 6;

    private const double FlatMicrovolts = 0.5;
    private const double PopMicrovolts = 100;
    private const double BlinkMicrovolts = 80;

    public static IReadOnlyList<double> MainsCandidatesHz { get; } = [50, 60];

    /// <summary>good ≥ 80, fair ≥ 50, poor below.</summary>
    public static string Rate(int score) => score >= 80 ? "good" : score >= 50 ? "fair" : "poor";

    /// <summary>Assesses <paramref name="samples"/>: channel-major, <c>samples[c · n + i]</c>, µV.</summary>
    /// <exception cref="SignalParameterException">Fewer than 2 s of samples, or the lengths do not fit the channel names.</exception>
    public static SignalQualityReport Assess(ReadOnlySpan<float> samples, QualityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channels = input.ChannelNames.Count;
        var fs = input.SamplingRateHz;
        if (channels == 0 || samples.Length % channels != 0)
        {
            throw new SignalParameterException(nameof(samples), $"{samples.Length} values do not divide into {channels} channels.");
        }

        var n = samples.Length / channels;
        var segment = (int)Math.Round(2 * fs);
        if (n < segment)
        {
            throw new SignalParameterException(nameof(samples), $"Signal quality needs at least {MinimumSeconds} s of signal ({segment} samples); got {n}.");
        }

        var frequencies = Welch.Frequencies(segment, fs);
        var psds = new double[channels][];
        var rows = new double[channels][];
        var flat = new bool[channels];
        var railed = new bool[channels];
        for (var c = 0; c < channels; c++)
        {
            var row = rows[c] = new double[n];
            var source = samples.Slice(c * n, n);
            for (var i = 0; i < n; i++)
            {
                row[i] = source[i];
            }

            psds[c] = new double[frequencies.Length];
            Welch.Psd(row, fs, segment, segment / 2, PsdScaling.Density, psds[c]);
            railed[c] = input.InputRangeMicrovolts is { } range && row.Count(v => Math.Abs(v) >= 0.999 * range) * 2 >= n;
            flat[c] = !railed[c] && StandardDeviation(row) < FlatMicrovolts;
        }

        // Which mains: the candidate whose peak stands out most over its neighbourhood, if it stands out at all.
        var live = Enumerable.Range(0, channels).Where(c => !flat[c] && !railed[c]).ToArray();
        var prominence = MainsCandidatesHz.ToDictionary(f => f, f => MedianProminenceDb(frequencies, psds, live, f, fs));
        var best = prominence.Where(p => !double.IsNaN(p.Value)).OrderByDescending(p => p.Value).FirstOrDefault();
        double? detected = best.Value >= MainsDetectionDb ? best.Key : null;
        var line = detected ?? input.ConfiguredLineFrequencyHz;

        var profile = input.Profile;
        var minutes = n / fs / 60;
        var popSamples = new List<int>[channels];
        for (var c = 0; c < channels; c++)
        {
            popSamples[c] = !flat[c] && !railed[c] && profile.DetectPops ? ArtifactDetection.Pops(rows[c], fs, PopMicrovolts) : [];
        }

        // A pop is one electrode's: a step seen on several channels at once has a field (an eye movement, a movement
        // of the head or cable) and is not counted as a pop.
        var popsKept = ArtifactDetection.SingleChannelEvents(popSamples, (int)Math.Round(0.05 * fs), Math.Max(2, live.Length / 10));
        var muscleRuns = new List<(int Start, int End)>();
        var results = new ChannelQuality[channels];
        for (var c = 0; c < channels; c++)
        {
            var signal = BandPowerWithoutMains(frequencies, psds[c], profile.SignalLowHz, profile.SignalHighHz, line);
            var noise = BandPowerWithoutMains(frequencies, psds[c], profile.NoiseLowHz, profile.NoiseHighHz, line);
            var linePower = LineNoisePower(frequencies, psds[c], line);
            var dead = flat[c] || railed[c];
            var snr = dead ? double.NaN : 10 * Math.Log10(signal / (noise + linePower));
            var pops = popsKept[c].Count;
            var runs = !dead && profile.DetectMuscle ? ArtifactDetection.MuscleRuns(rows[c], fs, popSamples[c]) : [];
            muscleRuns.AddRange(runs);
            var score = dead ? 0 : (int)Math.Round(Math.Max(0, (100 * Math.Clamp((snr + 10) / 16, 0, 1)) - Math.Min(40, 5 * (pops + runs.Count) / minutes)));
            results[c] = new ChannelQuality(input.ChannelNames[c], snr, signal, noise, linePower, flat[c], railed[c], pops, runs.Count, score);
        }

        var totalPops = results.Sum(r => r.Pops);
        var blinkRows = input.BlinkChannels.Where(c => !flat[c] && !railed[c]).Select(c => rows[c]).ToArray();
        int? blinks = input.BlinkChannels.Count == 0 || blinkRows.Length == 0 ? null : ArtifactDetection.Blinks(blinkRows, fs, BlinkMicrovolts);
        var droppedPenalty = Math.Min(20, 2000.0 * input.DroppedSamples / n);
        var overall = (int)Math.Round(Math.Max(0, results.Average(r => r.Score) - droppedPenalty));
        return new SignalQualityReport(n / fs, line, detected, prominence, results, blinks, ArtifactDetection.MergeRuns(muscleRuns), totalPops, input.DroppedSamples, overall);
    }

    /// <summary>
    /// Trapezoid power of the PSD over [low, high] without ±2 Hz around every harmonic of <paramref name="lineHz"/>:
    /// the band is cut into the intervals between harmonics, each integrated over the bins inside it (inclusive); an
    /// interval with fewer than two bins adds nothing.
    /// </summary>
    public static double BandPowerWithoutMains(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double low, double high, double lineHz)
    {
        var power = 0.0;
        var start = low;
        for (var harmonic = lineHz; start < high; harmonic += lineHz)
        {
            var end = Math.Min(high, harmonic - 2);
            if (end > start)
            {
                power += Trapezoid(frequencies, psd, start, end);
            }

            start = Math.Max(start, harmonic + 2);
        }

        return power;
    }

    /// <summary>Power within ±1 Hz of the mains frequency above the floor around it (median PSD 2–5 Hz either side); never negative.</summary>
    public static double LineNoisePower(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double lineHz)
    {
        var floor = Floor(frequencies, psd, lineHz);
        var first = -1;
        var last = -1;
        for (var k = 0; k < frequencies.Length; k++)
        {
            if (frequencies[k] >= lineHz - 1 && frequencies[k] <= lineHz + 1)
            {
                first = first < 0 ? k : first;
                last = k;
            }
        }

        if (first < 0 || last == first || double.IsNaN(floor))
        {
            return double.NaN;
        }

        var excess = Trapezoid(frequencies, psd, lineHz - 1, lineHz + 1) - (floor * (frequencies[last] - frequencies[first]));
        return Math.Max(0, excess);
    }

    private static double MedianProminenceDb(double[] frequencies, double[][] psds, int[] channels, double lineHz, double fs)
    {
        if (lineHz + 5 > fs / 2 || channels.Length == 0)
        {
            return double.NaN;
        }

        var values = new List<double>();
        foreach (var c in channels)
        {
            var floor = Floor(frequencies, psds[c], lineHz);
            var peak = 0.0;
            for (var k = 0; k < frequencies.Length; k++)
            {
                if (frequencies[k] >= lineHz - 1 && frequencies[k] <= lineHz + 1)
                {
                    peak = Math.Max(peak, psds[c][k]);
                }
            }

            if (floor > 0)
            {
                values.Add(10 * Math.Log10(peak / floor));
            }
        }

        return values.Count == 0 ? double.NaN : Median(values);
    }

    /// <summary>Median PSD over 2–5 Hz below and above <paramref name="lineHz"/> (bins inclusive).</summary>
    private static double Floor(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double lineHz)
    {
        var values = new List<double>();
        for (var k = 0; k < frequencies.Length; k++)
        {
            var distance = Math.Abs(frequencies[k] - lineHz);
            if (distance >= 2 && distance <= 5)
            {
                values.Add(psd[k]);
            }
        }

        return values.Count == 0 ? double.NaN : Median(values);
    }

    private static double Trapezoid(ReadOnlySpan<double> frequencies, ReadOnlySpan<double> psd, double low, double high)
    {
        var power = 0.0;
        var previous = -1;
        for (var k = 0; k < frequencies.Length; k++)
        {
            if (frequencies[k] < low || frequencies[k] > high)
            {
                continue;
            }

            if (previous >= 0)
            {
                power += (frequencies[k] - frequencies[previous]) * (psd[k] + psd[previous]) / 2;
            }

            previous = k;
        }

        return power;
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / values.Length);
    }
}

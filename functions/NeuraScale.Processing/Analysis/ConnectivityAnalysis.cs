using NeuraScale.Domain;
using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Connectivity;
using NeuraScale.Signals.Epochs;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Processing.Analysis;

/// <summary>Parameters of a connectivity analysis.</summary>
public sealed record ConnectivityOptions
{
    /// <summary>coherence, plv, wpli.</summary>
    public IReadOnlyList<string> Measures { get; init; } = ["coherence", "plv", "wpli"];

    public IReadOnlyList<FrequencyBand> Bands { get; init; } = FrequencyBand.Standard;

    /// <summary>Length of the fixed-length epochs (and of coherence's Welch segments), seconds.</summary>
    public double EpochSeconds { get; init; } = 2.0;

    /// <summary>Use epochs around events for PLV/wPLI instead of fixed-length epochs.</summary>
    public bool AroundEvents { get; init; }

    public double TminS { get; init; } = -0.5;

    public double TmaxS { get; init; } = 1.0;

    public IReadOnlyList<string>? EventLabels { get; init; }
}

[Description("Channel × channel connectivity per frequency band.")]
public sealed record ConnectivityResult(
    [property: Description("How each measure was computed, with references.")] string Method,
    [property: Description("Epochs used for PLV and wPLI.")] int NEpochs,
    [property: Description("Bin spacing of the spectra, Hz.")] double FrequencyResolutionHz,
    [property: Description("Channel order of every matrix.")] IReadOnlyList<string> Channels,
    [property: Description("The bands, Hz.")] IReadOnlyList<BandDescriptor> Bands,
    [property: Description("One matrix per measure and band: values 0–1, symmetric; null when larger than the inline limit (see note).")] IReadOnlyList<ConnectivityMatrix>? Matrices,
    [property: Description("The most strongly connected channel pairs per measure and band (up to 5).")] IReadOnlyList<ConnectivityPair> StrongestPairs,
    [property: Description("Why matrices were omitted, if they were.")] string? Note);

[Description("A connectivity matrix.")]
public sealed record ConnectivityMatrix(
    [property: Description("coherence, plv or wpli.")] string Measure,
    [property: Description("Band name.")] string Band,
    [property: Description("[i][j] in the order of channels; diagonal 1 for coherence and PLV, 0 for wPLI.")] IReadOnlyList<IReadOnlyList<double>> Values);

[Description("A channel pair's connectivity.")]
public sealed record ConnectivityPair(
    [property: Description("coherence, plv or wpli.")] string Measure,
    [property: Description("Band name.")] string Band,
    [property: Description("First channel.")] string ChannelA,
    [property: Description("Second channel.")] string ChannelB,
    [property: Description("Value, 0–1 (mean over the band's bins).")] double Value);

/// <summary>Coherence over the continuous window and PLV/wPLI over epochs, averaged within bands.</summary>
public static class ConnectivityAnalysis
{
    public const int MaxMatrixValues = 20_000;

    public static (ConnectivityResult Result, Dictionary<(string Measure, string Band), double[][]> Matrices) Run(AnalysisInput input, ConnectivityOptions options)
    {
        if (input.Channels.Count < 2)
        {
            throw new InvalidRequestException("Connectivity needs at least two channels; select two or more (or omit channels for all).");
        }

        var fs = input.SamplingRateHz;
        var segment = (int)Math.Round(options.EpochSeconds * fs);
        if (segment < 2 || segment > input.SampleCount)
        {
            throw new InvalidRequestException(FormattableString.Invariant($"epoch_seconds {options.EpochSeconds} must give between 2 samples and the analysed window ({input.SampleCount / fs:0.###} s)."));
        }

        var perBin = new Dictionary<string, double[][][]>();
        if (options.Measures.Contains("coherence"))
        {
            perBin["coherence"] = Coherence.AllPairs(input.Data, segment, segment / 2);
        }

        var epochs = Epochs(input, options, segment);
        if (options.Measures.Contains("plv") || options.Measures.Contains("wpli"))
        {
            if (epochs.Length < 2)
            {
                throw new InvalidRequestException($"PLV and wPLI average over epochs; the window gives {epochs.Length}. Use a longer window, a shorter epoch_seconds, or measures [\"coherence\"].");
            }

            var (plv, wpli) = PhaseSynchrony.AllPairs(epochs);
            perBin["plv"] = plv;
            perBin["wpli"] = wpli;
        }

        var matrices = new Dictionary<(string, string), double[][]>();
        foreach (var measure in options.Measures)
        {
            var values = perBin[measure];
            var bins = values[0][0].Length;
            var n = measure == "coherence" ? segment : epochs[0][0].Length;
            var freqs = Enumerable.Range(0, bins).Select(k => k * fs / n).ToArray();
            foreach (var band in options.Bands)
            {
                var inBand = Enumerable.Range(0, bins).Where(k => freqs[k] >= band.LowHz && freqs[k] <= band.HighHz).ToArray();
                if (inBand.Length == 0)
                {
                    throw new InvalidRequestException(FormattableString.Invariant($"Band '{band.Name}' ({band.LowHz}–{band.HighHz} Hz) holds no frequency bin at {fs / n:0.###} Hz resolution; widen it or raise epoch_seconds."));
                }

                matrices[(measure, band.Name)] = values.Select(row => row.Select(pair => inBand.Average(k => pair[k])).ToArray()).ToArray();
            }
        }

        var names = input.ChannelNames;
        var strongest = matrices.SelectMany(m => Enumerable.Range(0, names.Count)
                .SelectMany(i => Enumerable.Range(i + 1, names.Count - i - 1).Select(j => new ConnectivityPair(m.Key.Item1, m.Key.Item2, names[i], names[j], m.Value[i][j])))
                .OrderByDescending(p => p.Value)
                .Take(5))
            .ToArray();
        var inline = matrices.Count * names.Count * names.Count <= MaxMatrixValues;
        var result = new ConnectivityResult(
            string.Create(CultureInfo.InvariantCulture,
                $"coherence: magnitude-squared coherence over the whole window, Hann segments of {segment} samples with 50 % overlap, as scipy.signal.coherence(x, y, fs={fs}, nperseg={segment}); plv: phase-locking value |mean(S/|S|)| (Lachaux 1999) and wpli: weighted phase lag index |mean(Im S)|/mean(|Im S|) (Vinck 2011) over {epochs.Length} {(options.AroundEvents ? "event epochs" : $"non-overlapping {options.EpochSeconds} s epochs")} from Hann-windowed FFTs; each value is the mean over the band's bins."),
            epochs.Length,
            fs / segment,
            names,
            options.Bands.Select(b => new BandDescriptor(b.Name, b.LowHz, b.HighHz)).ToArray(),
            inline ? matrices.Select(m => new ConnectivityMatrix(m.Key.Item1, m.Key.Item2, m.Value.Select(r => (IReadOnlyList<double>)r).ToArray())).ToArray() : null,
            strongest,
            inline ? null : $"Matrices ({matrices.Count} × {names.Count} × {names.Count}) exceed the inline limit of {MaxMatrixValues} values; select fewer channels, measures or bands to receive them.");
        return (result, matrices);
    }

    private static double[][][] Epochs(AnalysisInput input, ConnectivityOptions options, int segment)
    {
        if (!options.AroundEvents)
        {
            var count = input.SampleCount / segment;
            return Enumerable.Range(0, count).Select(e => input.Data.Select(row => row.AsSpan(e * segment, segment).ToArray()).ToArray()).ToArray();
        }

        var events = input.Events.Where(e => options.EventLabels is null || options.EventLabels.Contains(e.Label)).Select(e => e.Sample).ToArray();
        return Epoching.Extract(input.Data, events, input.SamplingRateHz, new EpochSettings(options.TminS, options.TmaxS, null, null), input.ChannelNames).Data;
    }
}

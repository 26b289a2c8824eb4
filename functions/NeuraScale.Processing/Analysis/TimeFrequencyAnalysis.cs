using NeuraScale.Domain;
using NeuraScale.Signals;
using System.ComponentModel;
using System.Globalization;
using NeuraScale.Signals.Epochs;
using NeuraScale.Signals.Spectral;
using NeuraScale.Signals.TimeFrequency;

namespace NeuraScale.Processing.Analysis;

/// <summary>Parameters of a Morlet time-frequency analysis.</summary>
public sealed record TimeFrequencyOptions
{
    /// <summary>Frequencies, Hz; default 3–40 Hz in 1 Hz steps.</summary>
    public IReadOnlyList<double> FrequenciesHz { get; init; } = Enumerable.Range(3, 38).Select(f => (double)f).ToArray();

    /// <summary>Cycles per wavelet: one value or one per frequency; null for f/2 (a constant ≈ 80 ms time spread).</summary>
    public IReadOnlyList<double>? Cycles { get; init; }

    /// <summary>Keep every decim-th time sample; null for about 100 samples per second.</summary>
    public int? Decim { get; init; }

    /// <summary>Cut epochs around events (when the window has events); otherwise transform the window as one piece.</summary>
    public bool AroundEvents { get; init; } = true;

    public double TminS { get; init; } = -0.5;

    public double TmaxS { get; init; } = 1.0;

    public IReadOnlyList<string>? EventLabels { get; init; }

    /// <summary>Baseline interval, seconds (relative to the event; from the window start when continuous); null for none.</summary>
    public (double Start, double End)? Baseline { get; init; } = (-0.5, -0.1);

    public BaselineMode BaselineMode { get; init; } = BaselineMode.LogRatio;

    /// <summary>Bands summarised per channel.</summary>
    public IReadOnlyList<FrequencyBand> Bands { get; init; } = FrequencyBand.Standard;
}

[Description("Morlet wavelet time-frequency power (averaged over epochs when cut around events).")]
public sealed record TimeFrequencyResult(
    [property: Description("How it was computed, with the MNE equivalent.")] string Method,
    [property: Description("Epochs averaged (1 when the window was transformed as one piece).")] int NEpochs,
    [property: Description("Frequencies, Hz.")] IReadOnlyList<double> FrequenciesHz,
    [property: Description("Times of the power columns, seconds (relative to the event, or from the window start when continuous).")] IReadOnlyList<double> TimesS,
    [property: Description("Unit of the power values after baseline normalisation: µV² in MNE's wavelet scaling (none or mean), ratio, log10 ratio, fraction (percent) or SD (zscore).")] string PowerUnit,
    [property: Description("Baseline normalisation applied.")] string Baseline,
    [property: Description("Per frequency, the cone of influence, seconds: points closer than this to either end of the epoch (or window) are dominated by the wavelet running off the data (√2·σt, Torrence & Compo 1998; σt = n_cycles / 2πf). They stay in power (as MNE returns them) but are left out of the peak, the band means and the figure's colour scale, and greyed in the figure.")] IReadOnlyList<double> ConeOfInfluenceS,
    [property: Description("Per channel and band: the mean normalised power after the event (t ≥ 0), or over the whole window when continuous, outside the cone of influence; a band with no point outside it is left out.")] IReadOnlyList<TfrChannelSummary> Channels,
    [property: Description("The largest absolute normalised power over all channels, frequencies and times outside the cone of influence.")] TfrPeak Peak,
    [property: Description("Power [channel][frequency][time] in power_unit; null when larger than the inline limit (see note).")] IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Power,
    [property: Description("Why power was omitted, if it was.")] string? Note);

[Description("Time-frequency summary of one channel.")]
public sealed record TfrChannelSummary(
    [property: Description("Channel name.")] string Channel,
    [property: Description("Mean normalised power per band (power_unit).")] IReadOnlyDictionary<string, double> BandMean);

[Description("A time-frequency point.")]
public sealed record TfrPeak(
    [property: Description("Channel name.")] string Channel,
    [property: Description("Frequency, Hz.")] double FrequencyHz,
    [property: Description("Time, seconds.")] double TimeS,
    [property: Description("Normalised power, power_unit.")] double Value);

/// <summary>Morlet power per channel, optionally epoch-averaged and baseline-normalised, with band summaries.</summary>
public static class TimeFrequencyAnalysis
{
    public const int MaxPowerValues = 20_000;

    /// <summary>MNE normalises each wavelet to ‖W‖ = √2, so raw power scales with the wavelet's length: compare within one analysis.</summary>
    public const string RawUnit = "µV² (MNE Morlet scaling)";

    public static (TimeFrequencyResult Result, double[][][] Power, double[] Times, bool[][] Valid) Run(AnalysisInput input, TimeFrequencyOptions options)
    {
        var fs = input.SamplingRateHz;
        var nyquist = fs / 2;
        if (options.FrequenciesHz.Any(f => f <= 0 || f >= nyquist))
        {
            throw new InvalidRequestException(FormattableString.Invariant($"Frequencies must lie between 0 and Nyquist ({nyquist} Hz)."));
        }

        var decim = options.Decim ?? Math.Max(1, (int)Math.Floor(fs / 100));
        var cycles = options.Cycles ?? options.FrequenciesHz.Select(f => f / 2).ToArray();
        var (epochs, times, continuous) = Epochs(input, options);

        System.Numerics.Complex[][] wavelets;
        double[][][] power;
        try
        {
            wavelets = MorletTransform.Wavelets(fs, options.FrequenciesHz, cycles);
            power = MorletTransform.AveragePower(epochs, wavelets, decim);
        }
        catch (SignalParameterException ex)
        {
            throw new InvalidRequestException(ex.Problem);
        }

        var decimated = times.Where((_, i) => i % decim == 0).ToArray();
        if (options.Baseline is { } b)
        {
            try
            {
                foreach (var row in power.SelectMany(c => c))
                {
                    Baseline.Apply(row, decimated, b.Start, b.End, options.BaselineMode);
                }
            }
            catch (SignalParameterException ex)
            {
                throw new InvalidRequestException(ex.Problem);
            }
        }

        var names = input.ChannelNames;
        var coi = ConeOfInfluence(options.FrequenciesHz, cycles);
        var valid = Valid(coi, times, decimated);
        var summaryFrom = continuous ? decimated[0] : 0;
        var columns = Enumerable.Range(0, decimated.Length).Where(t => decimated[t] >= summaryFrom - 1e-9).ToArray();
        var channels = names.Select((name, c) => new TfrChannelSummary(name, options.Bands
            .Select(band => (band.Name, Points: Enumerable.Range(0, options.FrequenciesHz.Count)
                .Where(k => options.FrequenciesHz[k] >= band.LowHz && options.FrequenciesHz[k] <= band.HighHz)
                .SelectMany(k => columns.Where(t => valid[k][t]).Select(t => power[c][k][t])).ToArray()))
            .Where(band => band.Points.Length > 0)
            .ToDictionary(band => band.Name, band => band.Points.Average()))).ToArray();

        TfrPeak? peak = null;
        for (var c = 0; c < power.Length; c++)
        {
            for (var k = 0; k < power[c].Length; k++)
            {
                for (var t = 0; t < decimated.Length; t++)
                {
                    if (valid[k][t] && (peak is null || Math.Abs(power[c][k][t]) > Math.Abs(peak.Value)))
                    {
                        peak = new TfrPeak(names[c], options.FrequenciesHz[k], Math.Round(decimated[t], 6), power[c][k][t]);
                    }
                }
            }
        }

        // A wavelet spans ±5σt and must fit the data, so the middle of the data always lies outside the ±√2·σt cones.
        if (peak is null)
        {
            throw new InvalidOperationException("Every time-frequency point lies in the cone of influence, which the wavelet length check rules out.");
        }

        var values = power.Length * options.FrequenciesHz.Count * decimated.Length;
        var inline = values <= MaxPowerValues;
        var baselineText = options.Baseline is { } bl ? FormattableString.Invariant($"{options.BaselineMode.ToString().ToLowerInvariant()} over {bl.Start}–{bl.End} s") : "none";
        var cyclesText = options.Cycles is null ? "freqs / 2" : string.Join(", ", cycles.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var result = new TimeFrequencyResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Complex Morlet wavelets (n_cycles = {cyclesText}), power |W * x|², every {decim}th sample, {(continuous ? "the window as one piece" : $"{epochs.Length} epochs {options.TminS}–{options.TmaxS} s averaged")}; as mne.time_frequency.tfr_array_morlet(data, {fs}, freqs, n_cycles, decim={decim}, output='avg_power') then mne.baseline.rescale(mode='{options.BaselineMode.ToString().ToLowerInvariant()}')."),
            epochs.Length,
            options.FrequenciesHz,
            decimated.Select(t => Math.Round(t, 6)).ToArray(),
            options.Baseline is null ? RawUnit : options.BaselineMode switch
            {
                BaselineMode.Mean => RawUnit,
                BaselineMode.Ratio => "ratio",
                BaselineMode.LogRatio => "log10 ratio",
                BaselineMode.Percent => "fraction",
                _ => "SD",
            },
            baselineText,
            coi.Select(v => Math.Round(v, 6)).ToArray(),
            channels,
            peak,
            inline ? power.Select(c => (IReadOnlyList<IReadOnlyList<double>>)c.Select(f => (IReadOnlyList<double>)f).ToArray()).ToArray() : null,
            inline ? null : $"Power ({power.Length} channels × {options.FrequenciesHz.Count} frequencies × {decimated.Length} times) exceeds the inline limit of {MaxPowerValues} values; select fewer channels or frequencies, or raise decim.");
        return (result, power, decimated, valid);
    }

    /// <summary>√2·σt per frequency, σt = n_cycles / (2πf): the e-folding time of an edge's effect on Morlet power.</summary>
    public static double[] ConeOfInfluence(IReadOnlyList<double> frequencies, IReadOnlyList<double> cycles) =>
        frequencies.Select((f, k) => Math.Sqrt(2) * (cycles.Count == 1 ? cycles[0] : cycles[k]) / (2 * Math.PI * f)).ToArray();

    /// <summary>[frequency][time]: true where the point lies outside the cone of influence of both ends.</summary>
    public static bool[][] Valid(IReadOnlyList<double> coi, IReadOnlyList<double> times, IReadOnlyList<double> columns) =>
        coi.Select(reach => columns.Select(t => t - times[0] >= reach - 1e-9 && times[^1] - t >= reach - 1e-9).ToArray()).ToArray();

    private static (double[][][] Epochs, double[] Times, bool Continuous) Epochs(AnalysisInput input, TimeFrequencyOptions options)
    {
        var fs = input.SamplingRateHz;
        var events = input.Events.Where(e => options.EventLabels is null || options.EventLabels.Contains(e.Label)).ToArray();
        if (!options.AroundEvents || events.Length == 0)
        {
            if (options.EventLabels is not null && options.AroundEvents)
            {
                throw new InvalidRequestException($"No event with label {string.Join(", ", options.EventLabels.Select(l => $"'{l}'"))} in the window.");
            }

            var times = Enumerable.Range(0, input.SampleCount).Select(i => input.StartTimeS + (i / fs)).ToArray();
            return ([input.Data], times, true);
        }

        var set = Epoching.Extract(input.Data, events.Select(e => e.Sample).ToArray(), fs, new EpochSettings(options.TminS, options.TmaxS, null, null), input.ChannelNames);
        if (set.Data.Length == 0)
        {
            throw new InvalidRequestException($"None of the {events.Length} events leaves room for an epoch of {options.TminS}–{options.TmaxS} s inside the window; widen the window or narrow tmin/tmax.");
        }

        return (set.Data, set.Times, false);
    }
}

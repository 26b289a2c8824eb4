using System.Globalization;

namespace NeuraScale.Signals.Filters;

/// <summary>The filters <see cref="FilterSpecification"/> can describe.</summary>
public enum FilterType
{
    /// <summary>Butterworth low-pass.</summary>
    LowPass,

    /// <summary>Butterworth high-pass.</summary>
    HighPass,

    /// <summary>Butterworth band-pass.</summary>
    BandPass,

    /// <summary>Butterworth band-stop.</summary>
    BandStop,

    /// <summary>Second-order IIR notch (optionally with harmonics).</summary>
    Notch,
}

/// <summary>
/// A complete, validated filter request: what to design and how to apply it. Its <see cref="Recipe"/> names the
/// computation exactly (for lineage and for recognising a repeated request).
/// </summary>
public sealed record FilterSpecification
{
    /// <summary>Default Butterworth order.</summary>
    public const int DefaultOrder = 4;

    public required FilterType Type { get; init; }

    /// <summary>Butterworth order (ignored for a notch).</summary>
    public int Order { get; init; } = DefaultOrder;

    /// <summary>Cut-off for low/high-pass, lower edge for band filters, Hz.</summary>
    public double LowHz { get; init; } = double.NaN;

    /// <summary>Upper edge for band filters, Hz.</summary>
    public double HighHz { get; init; } = double.NaN;

    /// <summary>Notch frequency, Hz.</summary>
    public double NotchHz { get; init; } = double.NaN;

    /// <summary>Notch quality factor.</summary>
    public double Quality { get; init; } = NotchDesign.DefaultQuality;

    /// <summary>Also notch the multiples of <see cref="NotchHz"/> below Nyquist.</summary>
    public bool Harmonics { get; init; }

    /// <summary>Forward-backward (no phase shift, squared magnitude) rather than causal.</summary>
    public bool ZeroPhase { get; init; } = true;

    /// <summary>The first parameter out of range for <paramref name="samplingRateHz"/>, or null when <see cref="Design"/> will succeed.</summary>
    public FilterProblem? Check(double samplingRateHz) => Type switch
    {
        FilterType.Notch => NotchDesign.Check(NotchHz, Quality, samplingRateHz),
        _ => ButterworthDesign.Check(Order, ButterKind, samplingRateHz, LowHz, HighHz),
    };

    /// <summary>Designs the sections for <paramref name="samplingRateHz"/>; throws with an actionable message when a parameter is out of range.</summary>
    public SecondOrderSections Design(double samplingRateHz) => Type switch
    {
        FilterType.Notch => NotchDesign.NotchWithHarmonics(NotchHz, Quality, samplingRateHz, Harmonics),
        _ => ButterworthDesign.Design(Order, ButterKind, samplingRateHz, LowHz, HighHz),
    };

    /// <summary>Operation name for lineage: "butterworth_bandpass", "notch" ….</summary>
    public string Operation => Type == FilterType.Notch ? "notch" : "butterworth_" + Type.ToString().ToLowerInvariant();

    /// <summary>The parameters that define the computation, as text.</summary>
    public IReadOnlyDictionary<string, string> Parameters => Type == FilterType.Notch
        ? new Dictionary<string, string>
        {
            ["notch_hz"] = Text(NotchHz),
            ["quality"] = Text(Quality),
            ["harmonics"] = Harmonics ? "true" : "false",
            ["zero_phase"] = ZeroPhase ? "true" : "false",
        }
        : new Dictionary<string, string>
        {
            ["order"] = Text(Order),
            [IsBand ? "low_hz" : "cutoff_hz"] = Text(LowHz),
            ["high_hz"] = IsBand ? Text(HighHz) : "",
            ["zero_phase"] = ZeroPhase ? "true" : "false",
        }.Where(p => p.Value.Length > 0).ToDictionary();

    /// <summary>A canonical one-line name of the computation.</summary>
    public string Recipe => Operation + "(" + string.Join(",", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)) + ")";

    /// <summary>The same filter in SciPy, for a reader who wants to reproduce it.</summary>
    public string ScipyEquivalent(double samplingRateHz)
    {
        var fs = Text(samplingRateHz);
        var apply = ZeroPhase ? "sosfiltfilt" : "sosfilt";
        if (Type == FilterType.Notch)
        {
            var frequencies = NotchDesign.NotchFrequencies(NotchHz, samplingRateHz, Harmonics);
            var sections = string.Join(", ", frequencies.Select(f => $"tf2sos(*iirnotch({Text(f)}, {Text(Quality)}, fs={fs}))"));
            return $"scipy.signal.{apply}(np.vstack([{sections}]), x)";
        }

        var wn = IsBand ? $"[{Text(LowHz)}, {Text(HighHz)}]" : Text(LowHz);
        return $"scipy.signal.{apply}(scipy.signal.butter({Order}, {wn}, btype='{Type.ToString().ToLowerInvariant()}', output='sos', fs={fs}), x)";
    }

    /// <summary>The frequencies worth quoting the response at: the edges (or notch frequencies), DC and Nyquist's half-way point.</summary>
    public IReadOnlyList<double> KeyFrequencies(double samplingRateHz) => (Type switch
    {
        FilterType.Notch => NotchDesign.NotchFrequencies(NotchHz, samplingRateHz, Harmonics),
        FilterType.LowPass or FilterType.HighPass => [LowHz, LowHz / 2, Math.Min(2 * LowHz, samplingRateHz / 2 * 0.99)],
        _ => [LowHz, HighHz, (LowHz + HighHz) / 2],
    }).Distinct().Order().ToArray();

    /// <summary>A short human description, e.g. "4th-order Butterworth band-pass 1–40 Hz, zero-phase".</summary>
    public string Describe()
    {
        var how = ZeroPhase ? "zero-phase (forward-backward)" : "causal";
        return Type switch
        {
            FilterType.Notch => $"notch at {Text(NotchHz)} Hz{(Harmonics ? " and harmonics" : "")}, Q = {Text(Quality)}, {how}",
            FilterType.LowPass => $"order-{Order} Butterworth low-pass at {Text(LowHz)} Hz, {how}",
            FilterType.HighPass => $"order-{Order} Butterworth high-pass at {Text(LowHz)} Hz, {how}",
            FilterType.BandPass => $"order-{Order} Butterworth band-pass {Text(LowHz)}–{Text(HighHz)} Hz, {how}",
            _ => $"order-{Order} Butterworth band-stop {Text(LowHz)}–{Text(HighHz)} Hz, {how}",
        };
    }

    private bool IsBand => Type is FilterType.BandPass or FilterType.BandStop;

    private FilterKind ButterKind => Type switch
    {
        FilterType.LowPass => FilterKind.LowPass,
        FilterType.HighPass => FilterKind.HighPass,
        FilterType.BandPass => FilterKind.BandPass,
        _ => FilterKind.BandStop,
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

using NeuraScale.Domain;
using NeuraScale.Signals.Filters;

namespace NeuraScale.Processing.Filtering;

/// <summary>
/// apply_filter's filter arguments, in MNE's convention (<c>l_freq</c>/<c>h_freq</c>: a low-pass has only a high
/// edge, a high-pass only a low edge), turned into a <see cref="FilterSpecification"/> or a message saying what to fix.
/// </summary>
public static class FilterArguments
{
    public const string AllowedTypes = "lowpass, highpass, bandpass, bandstop or notch";

    public static FilterSpecification Parse(string? filterType, double? lowFreq, double? highFreq, int order, bool zeroPhase, double? notchFreq, double quality, bool harmonics, double samplingRateHz)
    {
        var type = (filterType ?? "").Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
        {
            "lowpass" => FilterType.LowPass,
            "highpass" => FilterType.HighPass,
            "bandpass" => FilterType.BandPass,
            "bandstop" => FilterType.BandStop,
            "notch" => FilterType.Notch,
            _ => throw new InvalidRequestException($"filter_type '{filterType}' is not supported; use {AllowedTypes}."),
        };

        var nyquist = samplingRateHz / 2;
        var spec = type switch
        {
            FilterType.LowPass => new FilterSpecification
            {
                Type = type,
                Order = order,
                LowHz = Only(highFreq, "high_freq", lowFreq, "low_freq", "lowpass", "the cut-off in high_freq (MNE's h_freq)"),
                ZeroPhase = zeroPhase,
            },
            FilterType.HighPass => new FilterSpecification
            {
                Type = type,
                Order = order,
                LowHz = Only(lowFreq, "low_freq", highFreq, "high_freq", "highpass", "the cut-off in low_freq (MNE's l_freq)"),
                ZeroPhase = zeroPhase,
            },
            FilterType.Notch => new FilterSpecification
            {
                Type = type,
                NotchHz = notchFreq ?? throw new InvalidRequestException($"filter_type 'notch' needs notch_freq: the line frequency to remove in Hz (50 or 60), below Nyquist ({nyquist:0.###} Hz)."),
                Quality = quality,
                Harmonics = harmonics,
                ZeroPhase = zeroPhase,
            },
            _ => new FilterSpecification
            {
                Type = type,
                Order = order,
                LowHz = lowFreq ?? throw new InvalidRequestException($"filter_type '{filterType}' needs both low_freq and high_freq (Hz, 0 < low_freq < high_freq < {nyquist:0.###})."),
                HighHz = highFreq ?? throw new InvalidRequestException($"filter_type '{filterType}' needs both low_freq and high_freq (Hz, 0 < low_freq < high_freq < {nyquist:0.###})."),
                ZeroPhase = zeroPhase,
            },
        };

        if (spec.Check(samplingRateHz) is { } problem)
        {
            throw new InvalidRequestException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ArgumentName(problem.Parameter, type)}: {problem.Problem} Got {problem.ActualValue}."));
        }

        return spec;
    }

    /// <summary>For one-edge filters: the edge given in <paramref name="wanted"/>, refusing the other edge.</summary>
    private static double Only(double? wanted, string wantedName, double? other, string otherName, string type, string where)
    {
        if (other is not null)
        {
            throw new InvalidRequestException($"filter_type '{type}' takes {where}; omit {otherName}. For a band, use filter_type 'bandpass' with both.");
        }

        return wanted ?? throw new InvalidRequestException($"filter_type '{type}' needs {wantedName}: {where}.");
    }

    /// <summary>The kernels name their own parameters; the request names its arguments (MNE's convention for one-edge filters).</summary>
    private static string ArgumentName(string parameter, FilterType type) => (parameter, type) switch
    {
        ("frequencyHz", _) => "notch_freq",
        ("lowHz", FilterType.LowPass) => "high_freq",
        ("lowHz", _) => "low_freq",
        ("highHz", _) => "high_freq",
        _ => parameter,
    };
}

using System.Globalization;
using NeuraScale.Domain;

namespace NeuraScale.Processing.Exports;

/// <summary>
/// The band a recording's samples have been through, from its lineage (filters applied by apply_filter) and the
/// export's own anti-alias filter: what EDF's prefiltering field and FIF's highpass/lowpass say.
/// </summary>
/// <param name="HighPassHz">Lowest frequency kept; 0 when no high-pass was applied.</param>
/// <param name="LowPassHz">Highest frequency kept; Nyquist when no low-pass was applied.</param>
/// <param name="NotchHz">Notch frequencies applied.</param>
public sealed record Passband(double HighPassHz, double LowPassHz, IReadOnlyList<double> NotchHz)
{
    public static Passband Of(RecordingSession session, int downsampleFactor)
    {
        var nyquist = session.SamplingRateHz / 2 / downsampleFactor;
        double high = 0, low = nyquist;
        var notches = new List<double>();
        foreach (var step in session.Lineage?.Steps ?? [])
        {
            var p = step.Parameters;
            switch (step.Operation)
            {
                case "butterworth_highpass" when Number(p, "cutoff_hz") is { } f:
                    high = Math.Max(high, f);
                    break;
                case "butterworth_lowpass" when Number(p, "cutoff_hz") is { } f:
                    low = Math.Min(low, f);
                    break;
                case "butterworth_bandpass" when Number(p, "low_hz") is { } lo && Number(p, "high_hz") is { } hi:
                    high = Math.Max(high, lo);
                    low = Math.Min(low, hi);
                    break;
                case "notch" when Number(p, "notch_hz") is { } f:
                    notches.Add(f);
                    break;
            }
        }

        if (downsampleFactor > 1)
        {
            low = Math.Min(low, nyquist);
        }

        return new Passband(high, low, notches);
    }

    /// <summary>EDF+ prefiltering text, e.g. "HP:1Hz LP:40Hz N:50Hz"; empty when nothing was applied.</summary>
    public string EdfPrefiltering(double samplingRateHz)
    {
        var parts = new List<string>();
        if (HighPassHz > 0)
        {
            parts.Add($"HP:{Text(HighPassHz)}Hz");
        }

        if (LowPassHz < (samplingRateHz / 2) - 1e-9)
        {
            parts.Add($"LP:{Text(LowPassHz)}Hz");
        }

        parts.AddRange(NotchHz.Select(f => $"N:{Text(f)}Hz"));
        return string.Join(' ', parts);
    }

    private static double? Number(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Globalization;
using NeuraScale.Processing.Analysis;

namespace NeuraScale.Processing.Reports;

/// <summary>
/// The findings a report may state, each computed from a number shown above it and nothing else: the posterior
/// dominant rhythm, its reactivity to eye opening, interhemispheric asymmetry, and what limits the data. Wording
/// follows the terms of the ACNS guidelines; the thresholds are named beside each rule. They are a draft for a
/// clinician to review, never a diagnosis.
/// </summary>
public static class ReportFindings
{
    /// <summary>The lower limit of the adult posterior dominant rhythm, Hz (ACNS Guideline 7 / common practice).</summary>
    public const double AdultPdrLowHz = 8;

    /// <summary>Attenuation on eye opening from which alpha counts as reactive, % (a clear block is ≥ 50 %).</summary>
    public const double ReactivePercent = 50;

    /// <summary>Below this attenuation, % , reactivity is reported as poor.</summary>
    public const double PoorPercent = 20;

    /// <summary>Amplitude asymmetry between homologous channels reported, % (50 % is the usual clinical threshold).</summary>
    public const double AsymmetryPercent = 50;

    private static readonly (string Left, string Right)[] Homologous = [("O1", "O2"), ("P3", "P4"), ("T5", "T6"), ("P7", "P8"), ("C3", "C4"), ("F3", "F4"), ("T3", "T4"), ("T7", "T8")];

    public static IReadOnlyList<string> State(string type, IReadOnlyList<SessionSection> sessions, ReactivitySection? reactivity)
    {
        var findings = new List<string>();
        foreach (var section in sessions)
        {
            var prefix = sessions.Count > 1 ? $"{section.Session.Id}: " : "";
            findings.AddRange(Quality(section).Select(f => prefix + f));
            if (type != ReportTypes.Quality && section.Spectrum is { } spectrum)
            {
                findings.AddRange(Rhythm(spectrum, section.Quality).Select(f => prefix + f));
            }

            if (section.Erp is { } erp)
            {
                findings.AddRange(erp.Result.Conditions.Select(c => prefix + Evoked(c)));
            }
        }

        if (reactivity is not null)
        {
            findings.Add(Reactivity(reactivity));
        }
        else if (type != ReportTypes.Quality && sessions.Any(s => s.Spectrum is not null))
        {
            findings.Add("Alpha reactivity not assessed: no eyes-closed and eyes-open stretches were found (protocol markers, the sessions' descriptions, or conditions given with the request).");
        }

        return findings;
    }

    private static IEnumerable<string> Quality(SessionSection section)
    {
        var q = section.Quality;
        yield return Invariant($"Signal quality {q.Rating} overall (score {q.Score}/100 over {q.SecondsAssessed / 60:0.#} min; worst minute {q.WorstMinuteScore} at {q.WorstMinuteStartSeconds:0} s).");
        var poor = q.Channels.Where(c => c.Rating == "poor").ToArray();
        if (poor.Length > 0)
        {
            yield return Invariant($"Channel(s) of poor quality: {string.Join(", ", poor.Select(c => $"{c.Channel} ({c.Score}{(c.Flat ? ", flat" : c.Railed ? ", railed" : "")})"))} — findings at these sites are unreliable.");
        }

        var minutes = Math.Max(q.SecondsAssessed / 60, 1e-9);
        if (q.Blinks + q.MuscleBursts + q.Pops > 0)
        {
            yield return Invariant($"Artifacts: {q.Blinks} blink(s), {q.MuscleBursts} muscle burst(s), {q.Pops} electrode pop(s) ({(q.Blinks + q.MuscleBursts + q.Pops) / minutes:0.#} per minute).");
        }

        if (section.Spectrum?.Notes.Where(n => n.Code is "implausible_amplitude" or "flat" or "clipped" or "line_noise").ToArray() is { Length: > 0 } notes)
        {
            foreach (var note in notes.Take(4))
            {
                yield return "Data flag: " + note.Message;
            }
        }
    }

    private static IEnumerable<string> Rhythm(SpectralWindow spectrum, QualitySummary quality)
    {
        var reliable = quality.Channels.Where(c => c.Rating != "poor").Select(c => c.Channel).ToHashSet();
        var posterior = spectrum.Result.Channels.Where(c => ReportBuilder.IsPosterior(c.Channel) && reliable.Contains(c.Channel)).ToArray();
        var where = Invariant($"{spectrum.Label}, {spectrum.StartSeconds:0}–{spectrum.EndSeconds:0} s");
        if (posterior.Length == 0)
        {
            yield return $"Posterior dominant rhythm not assessed: no parietal or occipital channel of adequate quality ({where}).";
        }
        else
        {
            var peaks = posterior.Where(c => c.PeakAlphaHz is not null).ToArray();
            if (peaks.Length == 0)
            {
                yield return $"No posterior alpha peak above the 1/f trend over {string.Join(", ", posterior.Select(c => c.Channel))} ({where}).";
            }
            else
            {
                var frequency = Median(peaks.Select(c => c.PeakAlphaHz!.Value));
                var prominence = Median(peaks.Select(c => c.AlphaPeakProminence!.Value));
                var text = Invariant($"Posterior dominant rhythm {frequency:0.0} Hz (median alpha peak over {string.Join(", ", peaks.Select(c => c.Channel))}; {prominence:0.#}× the 1/f trend; {where}).");
                if (frequency < AdultPdrLowHz)
                {
                    text += Invariant($" Slower than {AdultPdrLowHz:0} Hz, the lower limit for adults: correlate with age and state.");
                }

                yield return text;
            }
        }

        foreach (var (left, right) in Homologous)
        {
            var l = spectrum.Result.Channels.FirstOrDefault(c => Same(c.Channel, left) && reliable.Contains(c.Channel));
            var r = spectrum.Result.Channels.FirstOrDefault(c => Same(c.Channel, right) && reliable.Contains(c.Channel));
            if (l is null || r is null)
            {
                continue;
            }

            var (low, high) = (Math.Min(l.BandPowerUv2["alpha"], r.BandPowerUv2["alpha"]), Math.Max(l.BandPowerUv2["alpha"], r.BandPowerUv2["alpha"]));
            var asymmetry = high > 0 ? 100 * (1 - Math.Sqrt(low / high)) : 0;
            if (asymmetry >= AsymmetryPercent)
            {
                var lower = l.BandPowerUv2["alpha"] < r.BandPowerUv2["alpha"] ? l.Channel : r.Channel;
                yield return Invariant($"Alpha amplitude asymmetry {l.Channel}/{r.Channel}: {asymmetry:0} % lower at {lower} (threshold {AsymmetryPercent:0} %); check that electrode before reading it as a finding.");
            }
        }
    }

    private static string Reactivity(ReactivitySection r)
    {
        var attenuation = r.PosteriorAttenuationPercent;
        var over = string.Join(", ", r.PosteriorChannels);
        var numbers = Invariant($"posterior alpha power {r.PosteriorRatio:0.0#}× higher with eyes closed than open ({attenuation:0} % attenuation on eye opening; {over}; eyes closed {r.EyesClosedSeconds:0} s, eyes open {r.EyesOpenSeconds:0} s)");
        return attenuation >= ReactivePercent
            ? $"Alpha reactive to eye opening: {numbers}."
            : attenuation >= PoorPercent
                ? $"Alpha partially reactive to eye opening: {numbers}."
                : $"Alpha poorly reactive or unreactive to eye opening: {numbers}. Check the eye-state annotations before reading this as a finding.";
    }

    /// <summary>The clearest component of an average (SNR ≥ 3), or that none stands out of the noise.</summary>
    private static string Evoked(ErpCondition condition)
    {
        var clearest = condition.Components.Where(c => c.Found && c.Snr >= ErpComponents.MinSnr).OrderByDescending(c => c.Snr).FirstOrDefault();
        return clearest is null
            ? Invariant($"Evoked response to '{condition.Label}' ({condition.NEpochs} epochs): no component stands above the pre-stimulus noise (SNR < {ErpComponents.MinSnr:0}).")
            : Invariant($"Evoked response to '{condition.Label}' ({condition.NEpochs} epochs): {clearest.Name} {clearest.AmplitudeUv:+0.0;−0.0} µV at {clearest.LatencyS * 1000:0} ms on {clearest.Channel} ({clearest.Snr:0.0}× the pre-stimulus noise).");
    }

    private static bool Same(string channel, string site) => string.Equals(channel.Trim().TrimEnd('.'), site, StringComparison.OrdinalIgnoreCase);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

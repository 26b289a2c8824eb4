using System.Globalization;
using NeuraScale.Domain;

namespace NeuraScale.Processing.Reports;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as blocks, section by section, in the order a neurologist reads a report:
/// who and what, how it was recorded and analysed, what was measured, what it suggests — then the signature.
/// </summary>
public static class ReportLayout
{
    /// <summary>The notice every report carries on its first page and in every page footer.</summary>
    public const string DraftNotice = "DRAFT — machine-generated, pending review by a qualified clinician. Findings are computed from the numbers in this report; they are not a diagnosis.";

    /// <summary>The header, then each section asked for, then the signature block.</summary>
    public static IReadOnlyList<(string Section, IReadOnlyList<ReportBlock> Blocks)> Compose(ReportDocument report)
    {
        var parts = new List<(string, IReadOnlyList<ReportBlock>)> { ("header", Header(report)) };
        foreach (var section in report.Sections)
        {
            parts.Add((section, section switch
            {
                ReportSections.Summary => Summary(report),
                ReportSections.Methods => Methods(report),
                ReportSections.Results => Results(report),
                _ => Conclusions(report),
            }));
        }

        parts.Add(("signature", [new SignatureBlock(report.Type == ReportTypes.Clinical
            ? "I have reviewed the recording and this report, and I agree with / have amended the findings above."
            : "Reviewed by:")]));
        return parts;
    }

    private static List<ReportBlock> Header(ReportDocument report)
    {
        var fields = new List<(string, string)>();
        if (report.Patient.Identity is { } identity)
        {
            fields.Add(("Patient", $"{identity.FamilyName}, {identity.GivenName}"));
            fields.Add(("Date of birth", identity.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            fields.Add(("MRN", identity.MedicalRecordNumber));
        }

        fields.Add(("Pseudonym", report.Patient.Pseudonym + (report.Patient.Identity is null ? " (identity withheld: phi.read not granted or a research report)" : "")));
        fields.Add(("Recording(s)", string.Join(", ", report.Sessions.Select(s => $"{s.Session.Id} ({s.Session.StartTime:yyyy-MM-dd HH:mm} UTC)"))));
        if (report.Run is { } run)
        {
            fields.Add(("Protocol run", $"{run.RunId}: {run.ProtocolId}, {run.Status.Replace('_', ' ')}{(run.StopReason is { } why ? " — " + why : "")}"));
        }

        fields.Add(("Report", $"{report.ReportId}, {report.Type}, generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC for {report.RequestedBy}"));
        return [new HeadingBlock(0, report.Title), new NoticeBlock(DraftNotice), new FieldsBlock(fields)];
    }

    private static List<ReportBlock> Summary(ReportDocument report)
    {
        var blocks = new List<ReportBlock> { new HeadingBlock(1, "Summary") };
        foreach (var s in report.Sessions)
        {
            var session = s.Session;
            blocks.Add(new ParagraphBlock(Invariant(
                $"{session.Modality} recording {session.Id}: {Duration(session.DurationSeconds)} from {session.DeviceId} ({session.DeviceModel}), {session.Channels.Count} channels at {session.SamplingRateHz:0.##} Hz{(string.IsNullOrWhiteSpace(session.Description) ? "" : ", " + session.Description!.Trim())}. Signal quality {s.Quality.Rating} ({s.Quality.Score}/100).")));
        }

        var key = report.Findings.Where(f => f.Contains("dominant rhythm", StringComparison.Ordinal) || f.Contains("reactiv", StringComparison.Ordinal) || f.Contains("poor quality", StringComparison.Ordinal)).ToArray();
        if (key.Length > 0)
        {
            blocks.Add(new ListBlock(key));
        }

        return blocks;
    }

    private static List<ReportBlock> Methods(ReportDocument report)
    {
        var blocks = new List<ReportBlock> { new HeadingBlock(1, "Recording and methods") };
        foreach (var s in report.Sessions)
        {
            var session = s.Session;
            blocks.Add(new HeadingBlock(2, $"Recording {session.Id}"));
            blocks.Add(new FieldsBlock(
            [
                ("Device", $"{session.DeviceId} ({session.DeviceModel})"),
                ("Start", session.StartTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
                ("Duration", Duration(session.DurationSeconds) + Invariant($" ({session.SampleCount:N0} samples per channel, {session.Status.ToString().ToLowerInvariant()})")),
                ("Sampling rate", Invariant($"{session.SamplingRateHz:0.##} Hz")),
                ("Montage", s.Montage),
                ("Channels", string.Join(", ", session.Channels.Select(c => c.Name))),
                ("Markers", Invariant($"{s.Markers.Count}{(s.Markers.Count == 0 ? "" : ": " + string.Join(", ", s.Markers.GroupBy(m => m.Label).Take(8).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key)) + (s.Markers.Select(m => m.Label).Distinct().Count() > 8 ? ", …" : ""))}")),
                ("Processing", Lineage(session)),
            ]));
        }

        if (report.Run is { Steps.Count: > 0 } run)
        {
            blocks.Add(new TableBlock(
                $"Protocol {run.ProtocolId}: steps as run",
                ["Step", "Outcome", "Start (s)", "End (s)", "Quality checks", "Note"],
                run.Steps.Select(st => (IReadOnlyList<string>)[st.Name, st.Outcome.Replace('_', ' '), Seconds(st.StartSeconds), Seconds(st.EndSeconds), st.QualityScores.Count == 0 ? "—" : string.Join(", ", st.QualityScores.Select(q => q.ToString("0", CultureInfo.InvariantCulture))), st.Problem ?? ""]).ToArray(),
                [3, 1.6, 1, 1, 1.4, 4]));
        }

        var method = report.Sessions.Select(s => s.Spectrum?.Result.Method).OfType<string>().FirstOrDefault();
        blocks.Add(new ParagraphBlock(
            "Signal quality: each minute of the stored signal assessed as the amplifier relay assesses it live — per channel the signal-to-noise ratio (1–40 Hz against 40–100 Hz and mains), flat and railed channels, electrode pops, muscle bursts, and blinks on Fp1/Fp2; scores 0–100 (good ≥ 80, fair ≥ 50), weighted by duration."));
        if (method is not null)
        {
            blocks.Add(new ParagraphBlock(
                $"Spectra: run_analysis spectral with its defaults — {method} Alpha peak: the most prominent local maximum of 7–14 Hz above the 1/f trend fitted over 2–40 Hz."));
            blocks.Add(new ParagraphBlock(Invariant(
                $"States: stretches of eyes closed and eyes open are taken from the protocol's markers (each from its marker + {ConditionSegments.SettleSeconds:0} s to the next step marker), else from the conditions given with the request or the session's description. Alpha reactivity: alpha band power per channel pooled over the stretches of each state, weighted by length; posterior ratio = summed parietal/occipital eyes-closed over eyes-open power.")));
        }

        return blocks;
    }

    private static List<ReportBlock> Results(ReportDocument report)
    {
        var blocks = new List<ReportBlock> { new HeadingBlock(1, "Results") };
        foreach (var s in report.Sessions)
        {
            var prefix = report.Sessions.Count > 1 ? $" — {s.Session.Id}" : "";
            blocks.Add(new HeadingBlock(2, "Signal quality" + prefix));
            var q = s.Quality;
            blocks.Add(new ParagraphBlock(Invariant(
                $"Overall {q.Rating}, score {q.Score}/100 over {q.Minutes} block(s) of up to a minute ({Duration(q.SecondsAssessed)}); worst block {q.WorstMinuteScore} at {q.WorstMinuteStartSeconds:0} s. Artifacts: {q.Blinks} blink(s), {q.MuscleBursts} muscle burst(s), {q.Pops} electrode pop(s). Mains: {(q.MainsHz is { } hz ? $"{hz:0} Hz interference detected" : "no mains peak standing out")}.")));
            blocks.Add(new TableBlock(
                "Signal quality per channel",
                ["Channel", "Score", "Rating", "SNR (dB)", "Line noise (µV RMS)", "Pops", "Muscle", "Flags"],
                q.Channels.Select(c => (IReadOnlyList<string>)[c.Channel, c.Score.ToString(CultureInfo.InvariantCulture), c.Rating, Invariant($"{c.SnrDb:0.0}"), Invariant($"{c.LineNoiseRmsUv:0.00}"), c.Pops.ToString(CultureInfo.InvariantCulture), c.MuscleBursts.ToString(CultureInfo.InvariantCulture), Flags(c)]).ToArray(),
                [1.3, 1, 1, 1, 1.6, 0.8, 0.9, 1.2]));
            if (s.Segments.Count > 0)
            {
                blocks.Add(new TableBlock(
                    "Stretches by state",
                    ["State", "From (s)", "To (s)", "Length (s)", "Known from"],
                    s.Segments.Select(g => (IReadOnlyList<string>)[g.Condition.Replace('_', ' '), Invariant($"{g.StartSeconds:0.0}"), Invariant($"{g.EndSeconds:0.0}"), Invariant($"{g.DurationSeconds:0.0}"), g.Source]).ToArray(),
                    [1.6, 1, 1, 1, 3]));
            }
        }

        blocks.AddRange(Impedances(report));
        foreach (var s in report.Sessions.Where(s => s.Spectrum is not null))
        {
            var spectrum = s.Spectrum!;
            var prefix = report.Sessions.Count > 1 ? $" — {s.Session.Id}" : "";
            var window = Invariant($"{spectrum.Label}, {spectrum.StartSeconds:0.0}–{spectrum.EndSeconds:0.0} s");
            blocks.Add(new HeadingBlock(2, "Spectra" + prefix));
            blocks.Add(new FigureBlock(spectrum.Figure, $"Power spectral density per channel ({window})."));
            if (report.Type != ReportTypes.Quality)
            {
                var bands = spectrum.Result.Bands.Select(b => b.Name).ToArray();
                blocks.Add(new TableBlock(
                    $"Band power (µV²: {string.Join(", ", spectrum.Result.Bands.Select(b => Invariant($"{b.Name} {b.LowHz:0}–{b.HighHz:0} Hz")))}) and alpha peak, {window}",
                    ["Channel", .. bands, "Peak (Hz)", "Peak/trend"],
                    spectrum.Result.Channels.Select(c => (IReadOnlyList<string>)[c.Channel, .. bands.Select(b => Power(c.BandPowerUv2[b])), c.PeakAlphaHz is { } f ? Invariant($"{f:0.00}") : "—", c.AlphaPeakProminence is { } p ? Invariant($"{p:0.0}") : "—"]).ToArray(),
                    [1.2, .. bands.Select(_ => 1.0), 1.2, 1]));
            }
        }

        if (report.Reactivity is { } r)
        {
            blocks.Add(new HeadingBlock(2, "Alpha reactivity"));
            blocks.Add(new FigureBlock(r.Figure, Invariant($"Alpha ({r.BandLowHz:0}–{r.BandHighHz:0} Hz) band power, eyes closed ({r.EyesClosedSeconds:0} s) and eyes open ({r.EyesOpenSeconds:0} s).")));
            blocks.Add(new TableBlock(
                Invariant($"Alpha band power (µV²) by eye state; posterior ratio {r.PosteriorRatio:0.00} ({r.PosteriorAttenuationPercent:0} % attenuation on eye opening)"),
                ["Channel", "Eyes closed", "Eyes open", "Closed / open", "Posterior"],
                r.Channels.Select(c => (IReadOnlyList<string>)[c.Channel, Power(c.EyesClosedAlphaUv2), Power(c.EyesOpenAlphaUv2), Invariant($"{c.Ratio:0.00}"), r.PosteriorChannels.Contains(c.Channel) ? "yes" : ""]).ToArray(),
                [1.2, 1, 1, 1, 0.8]));
        }

        if (report.Type != ReportTypes.Quality)
        {
            blocks.AddRange(Erp(report));
        }

        return blocks;
    }

    private static IEnumerable<ReportBlock> Impedances(ReportDocument report)
    {
        if (report.Run is not { } run)
        {
            yield return new ParagraphBlock("Electrode impedances: not part of this report (the recording was not made by a protocol run named with the request).");
        }
        else if (run.Impedances.Count == 0)
        {
            yield return new ParagraphBlock($"Electrode impedances: {run.ImpedanceNote ?? "not measured"}.");
        }
        else
        {
            yield return new TableBlock(
                $"Electrode impedances before recording{(run.ImpedanceNote is { } note ? " — " + note : "")}",
                ["Channel", "kΩ"],
                run.Impedances.Select(i => (IReadOnlyList<string>)[i.Channel, Invariant($"{i.Kiloohms:0.0}")]).ToArray(),
                [1, 1]);
        }
    }

    /// <summary>ERPs of the repeated markers (stimuli); protocol annotations, each once or a few times, are not averaged.</summary>
    private static IEnumerable<ReportBlock> Erp(ReportDocument report)
    {
        var computed = report.Sessions.Where(s => s.Erp is not null).ToArray();
        if (computed.Length == 0)
        {
            yield return new ParagraphBlock(Invariant($"Event-related potentials: none computed — no marker repeats {ReportBuilder.MinErpEvents} times or more (protocol annotations are not stimuli)."));
            yield break;
        }

        foreach (var s in computed)
        {
            var erp = s.Erp!;
            yield return new HeadingBlock(2, "Event-related potentials" + (report.Sessions.Count > 1 ? $" — {s.Session.Id}" : ""));
            yield return new ParagraphBlock($"run_analysis erp with its defaults over {Invariant($"{erp.StartSeconds:0}–{erp.EndSeconds:0} s")}: {erp.Result.Method}");
            for (var i = 0; i < erp.Result.Conditions.Count; i++)
            {
                var condition = erp.Result.Conditions[i];
                if (i < erp.Figures.Count)
                {
                    yield return new FigureBlock(erp.Figures[i], Invariant($"Average response to '{condition.Label}': {condition.NEpochs} of {condition.NEvents} epochs."));
                }

                yield return new TableBlock(
                    Invariant($"ERP components, '{condition.Label}' ({condition.NEpochs} epochs)"),
                    ["Component", "Window (ms)", "Found", "Channel", "Latency (ms)", "Amplitude (µV)", "SNR"],
                    condition.Components.Select(c => (IReadOnlyList<string>)[c.Name, Invariant($"{c.WindowS[0] * 1000:0}–{c.WindowS[1] * 1000:0}"), c.Found ? "yes" : "no", c.Channel ?? "—", c.LatencyS is { } l ? Invariant($"{l * 1000:0}") : "—", c.AmplitudeUv is { } a ? Invariant($"{a:+0.0;−0.0}") : "—", c.Snr is { } n ? Invariant($"{n:0.0}") : "—"]).ToArray(),
                    [1.2, 1.2, 0.8, 1, 1.1, 1.3, 0.8]);
            }
        }
    }

    private static List<ReportBlock> Conclusions(ReportDocument report) =>
    [
        new HeadingBlock(1, "Findings (machine-generated, pending clinician review)"),
        new ListBlock(report.Findings),
        new ParagraphBlock("Each finding restates a number from the results above against a stated threshold. Clinical interpretation — normal or abnormal, and its significance — is for the reviewing clinician, with the raw recording in view."),
    ];

    private static string Lineage(RecordingSession session) => session.Lineage is not { } lineage
        ? "None: as recorded (no filtering; the amplifier's own hardware filters only)"
        : $"Derived from {lineage.SourceSessionId} (original {lineage.RootSessionId}): " + string.Join("; then ", lineage.Steps.Select(s => $"{s.Operation} ({string.Join(", ", s.Parameters.Select(p => p.Key + " " + p.Value))}; {s.Equivalent})"));

    private static string Flags(ChannelQualitySummary c) =>
        string.Join(", ", new[] { c.Flat ? "flat" : null, c.Railed ? "railed" : null }.OfType<string>());

    private static string Duration(double seconds) =>
        seconds >= 120 ? Invariant($"{seconds / 60:0.#} min") : Invariant($"{seconds:0.#} s");

    private static string Seconds(double? seconds) => seconds is { } s ? Invariant($"{s:0.0}") : "—";

    /// <summary>Powers to three significant figures, as the table needs and run_analysis's values round to.</summary>
    public static string Power(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

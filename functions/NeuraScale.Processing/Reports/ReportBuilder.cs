using System.Globalization;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Processing.Analysis;
using NeuraScale.Processing.Clinical.Protocols;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.Plots;
using NeuraScale.Processing.Reading;
using NeuraScale.Signals.Quality;
using SignalQuality = NeuraScale.Signals.Quality.SignalQuality;
using NeuraScale.Signals.Spectral;
using NeuraScale.Storage.Patients;

namespace NeuraScale.Processing.Reports;

/// <summary>
/// Computes what a report states: for each session its details, a minute-by-minute quality pass over the stored
/// samples (markers collected on the way), the stretches of each state, the spectra of the reference stretch through
/// run_analysis itself (so the report's numbers are the tool's), and alpha reactivity pooled over eyes-closed and
/// eyes-open stretches; then the findings those numbers support.
/// </summary>
public sealed class ReportBuilder(
    NeuralDataService neuralData,
    AnalysisService analysis,
    SignalBlockReader reader,
    ConditionSegments segments,
    PatientRegistry patients,
    IOptions<NeuralDataOptions> options,
    TimeProvider time)
{
    /// <summary>Mains frequency assumed before detection (the quality check detects 50 or 60 Hz itself).</summary>
    private const double AssumedMainsHz = 50;

    /// <summary>Titles by report type.</summary>
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        [ReportTypes.Clinical] = "Clinical EEG report",
        [ReportTypes.Research] = "Research recording summary",
        [ReportTypes.Quality] = "Recording quality report",
    };

    /// <param name="progress">0–1: the quality passes take the first half, the spectra the rest.</param>
    public async Task<ReportDocument> BuildAsync(ReportRequest request, string reportId, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var caller = request.Caller.ToCaller();
        var sessions = new List<SessionSection>();
        var index = 0;
        foreach (var id in request.SessionIds)
        {
            var session = await neuralData.GetSessionAsync(id, caller, cancellationToken).ConfigureAwait(false);
            var share = 1.0 / request.SessionIds.Count;
            var (quality, markers) = await AssessAsync(session, ScaledProgress.Of(progress, index * share, (index + 0.5) * share), cancellationToken).ConfigureAwait(false);
            var found = segments.Find(session, request.Conditions.GetValueOrDefault(id), markers);
            var spectrum = session.Modality == Modality.EEG
                ? await SpectrumAsync(session, found, caller, cancellationToken).ConfigureAwait(false)
                : null;
            var erp = session.Modality == Modality.EEG && request.Type != ReportTypes.Quality ? await ErpAsync(session, markers, caller, cancellationToken).ConfigureAwait(false) : null;
            sessions.Add(new SessionSection(session, Montage(session), quality, found, spectrum, markers, erp));
            progress?.Report((index + 0.75) * share);
            index++;
        }

        var pseudonym = sessions[0].Session.Patient;
        var identity = request.IncludeIdentity ? (await patients.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false))?.Identity : null;
        var reactivity = request.Type == ReportTypes.Quality ? null : await ReactivityAsync(sessions, caller, cancellationToken).ConfigureAwait(false);
        progress?.Report(1);
        var findings = ReportFindings.State(request.Type, sessions, reactivity);
        return new ReportDocument(
            reportId,
            request.Type,
            Titles[request.Type],
            time.GetUtcNow(),
            request.Sections,
            new ReportPatient(pseudonym.Value, identity),
            sessions,
            reactivity,
            findings,
            request.Run,
            request.Caller.Name);
    }

    /// <summary>
    /// One pass over the whole recording in blocks of up to a minute: each block assessed as the relay assesses live
    /// signal (<see cref="SignalQuality.Assess"/>), the markers collected.
    /// </summary>
    private async Task<(QualitySummary Quality, IReadOnlyList<EventMarker> Markers)> AssessAsync(RecordingSession session, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var names = session.Channels.Select(c => c.Name).ToArray();
        var fs = session.SamplingRateHz;
        var input = new QualityInput(fs, names, Profile(session), AssumedMainsHz, null, BlinkChannels(names));
        var plan = new SignalPlan(session, Enumerable.Range(0, names.Length).ToArray(), 0, session.SampleCount, 1, markersFromWindowStart: true);
        var markers = new List<EventMarker>();
        var minutes = new List<(double Start, double Seconds, SignalQualityReport Report)>();
        await foreach (var block in reader.ReadAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            markers.AddRange(block.Markers);
            var (first, count) = plan.Block(block.Index);
            if (count >= SignalQuality.MinimumSeconds * fs)
            {
                var samples = new float[names.Length * count];
                for (var c = 0; c < names.Length; c++)
                {
                    block.Data[c].AsSpan(0, count).CopyTo(samples.AsSpan(c * count, count));
                }

                minutes.Add((first / fs, count / fs, SignalQuality.Assess(samples, input)));
            }

            progress?.Report((block.Index + 1.0) / plan.Blocks);
        }

        return (Summarise(names, minutes), markers);
    }

    private static QualitySummary Summarise(string[] names, List<(double Start, double Seconds, SignalQualityReport Report)> minutes)
    {
        var seconds = minutes.Sum(m => m.Seconds);
        if (minutes.Count == 0 || seconds <= 0)
        {
            return new QualitySummary(0, SignalQuality.Rate(0), 0, 0, 0, 0, [], 0, 0, 0, null);
        }

        double Weighted(Func<SignalQualityReport, double> value) => minutes.Sum(m => value(m.Report) * m.Seconds) / seconds;
        var channels = names.Select((name, c) =>
        {
            var score = (int)Math.Round(Weighted(r => r.Channels[c].Score));
            return new ChannelQualitySummary(
                name,
                score,
                SignalQuality.Rate(score),
                Math.Round(Weighted(r => r.Channels[c].SnrDb), 1),
                Math.Round(minutes.Max(m => m.Report.Channels[c].LineNoiseRms), 2),
                minutes.Count(m => m.Report.Channels[c].Flat) * 2 > minutes.Count,
                minutes.Count(m => m.Report.Channels[c].Railed) * 2 > minutes.Count,
                minutes.Sum(m => m.Report.Channels[c].Pops),
                minutes.Sum(m => m.Report.Channels[c].MuscleBursts));
        }).ToArray();
        var overall = (int)Math.Round(Weighted(r => r.Score));
        var worst = minutes.MinBy(m => m.Report.Score);
        var mains = minutes.Select(m => m.Report.DetectedMainsHz).OfType<double>().GroupBy(f => f).OrderByDescending(g => g.Count()).Select(g => (double?)g.Key).FirstOrDefault();
        return new QualitySummary(
            overall, SignalQuality.Rate(overall), seconds, minutes.Count, worst.Report.Score, worst.Start, channels,
            minutes.Sum(m => m.Report.Blinks ?? 0), minutes.Sum(m => m.Report.MuscleBursts), minutes.Sum(m => m.Report.Pops), mains);
    }

    /// <summary>
    /// run_analysis spectral (its defaults) over the reference stretch: the longest eyes-closed one (where the
    /// posterior dominant rhythm is read), else the whole recording — as much of it as one analysis may take.
    /// </summary>
    private async Task<SpectralWindow> SpectrumAsync(RecordingSession session, IReadOnlyList<ConditionSegment> found, Domain.Access.Caller caller, CancellationToken cancellationToken)
    {
        var closed = found.Where(s => s.Condition == StepConditions.EyesClosed).MaxBy(s => s.DurationSeconds);
        var (label, start, end) = closed is not null
            ? ("eyes closed", closed.StartSeconds, closed.EndSeconds)
            : ("whole recording", 0.0, session.DurationSeconds);
        end = Math.Min(end, start + MaxSeconds(session));
        var (result, notes, figure) = await SpectralAsync(session, start, end, caller, cancellationToken).ConfigureAwait(false);
        if (end < (closed?.EndSeconds ?? session.DurationSeconds))
        {
            label += string.Create(CultureInfo.InvariantCulture, $" (first {end - start:0} s)");
        }

        return new SpectralWindow(label, start, end, result, notes, figure);
    }

    private async Task<(SpectralResult Result, IReadOnlyList<DataQualityNote> Notes, byte[] Figure)> SpectralAsync(RecordingSession session, double start, double end, Domain.Access.Caller caller, CancellationToken cancellationToken)
    {
        var report = await analysis.RunAsync(new AnalysisRequest(session.Id.Value, "spectral", null, null, start, end, caller), null, cancellationToken).ConfigureAwait(false);
        return (report.Result.Spectral!, report.Result.DataQuality, report.Figures[0]);
    }

    /// <summary>Fewest markers of one label averaged as an ERP (protocol annotations occur once or a few times).</summary>
    public const int MinErpEvents = 20;

    /// <summary>
    /// run_analysis erp (its defaults: −0.2–0.8 s, baseline to 0, the standard components) over the recording — as
    /// much as one analysis may take — for the (at most two) labels repeated at least <see cref="MinErpEvents"/> times.
    /// </summary>
    private async Task<ErpWindow?> ErpAsync(RecordingSession session, IReadOnlyList<EventMarker> markers, Domain.Access.Caller caller, CancellationToken cancellationToken)
    {
        var labels = markers.GroupBy(m => m.Label).Where(g => g.Count() >= MinErpEvents).OrderByDescending(g => g.Count()).Take(2).Select(g => g.Key).ToArray();
        if (labels.Length == 0)
        {
            return null;
        }

        var end = Math.Min(session.DurationSeconds, MaxSeconds(session));
        var parameters = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["event_labels"] = labels });
        var report = await analysis.RunAsync(new AnalysisRequest(session.Id.Value, "erp", parameters, null, 0, end, caller), null, cancellationToken).ConfigureAwait(false);
        return new ErpWindow(0, end, report.Result.Erp!, report.Figures);
    }

    /// <summary>
    /// Alpha power per channel pooled (duration-weighted) over every eyes-closed and every eyes-open stretch of the
    /// EEG sessions with the same channels; null without both states.
    /// </summary>
    private async Task<ReactivitySection?> ReactivityAsync(IReadOnlyList<SessionSection> sessions, Domain.Access.Caller caller, CancellationToken cancellationToken)
    {
        var eeg = sessions.Where(s => s.Session.Modality == Modality.EEG).ToArray();
        if (eeg.Length == 0)
        {
            return null;
        }

        var channels = eeg[0].Session.Channels.Select(c => c.Name).ToArray();
        var usable = eeg.Where(s => s.Session.Channels.Select(c => c.Name).SequenceEqual(channels)).ToArray();
        var closed = usable.SelectMany(s => s.Segments.Where(g => g.Condition == StepConditions.EyesClosed).Select(g => (Section: s, Segment: g))).ToArray();
        var open = usable.SelectMany(s => s.Segments.Where(g => g.Condition == StepConditions.EyesOpen).Select(g => (Section: s, Segment: g))).ToArray();
        if (closed.Length == 0 || open.Length == 0)
        {
            return null;
        }

        var alpha = FrequencyBand.Standard.Single(b => b.Name == "alpha");
        var closedPower = await PooledAlphaAsync(closed, caller, cancellationToken).ConfigureAwait(false);
        var openPower = await PooledAlphaAsync(open, caller, cancellationToken).ConfigureAwait(false);
        var perChannel = channels.Select((name, c) => new ChannelReactivity(name, closedPower[c], openPower[c], openPower[c] > 0 ? closedPower[c] / openPower[c] : double.PositiveInfinity)).ToArray();
        var posterior = channels.Where(IsPosterior).ToArray();
        var pool = posterior.Length > 0 ? posterior : channels;
        var closedSum = perChannel.Where(c => pool.Contains(c.Channel)).Sum(c => c.EyesClosedAlphaUv2);
        var openSum = perChannel.Where(c => pool.Contains(c.Channel)).Sum(c => c.EyesOpenAlphaUv2);
        var section = new ReactivitySection(alpha.LowHz, alpha.HighHz, closed.Select(x => x.Segment).ToArray(), open.Select(x => x.Segment).ToArray(), perChannel, pool, openSum > 0 ? closedSum / openSum : double.PositiveInfinity, []);
        return section with { Figure = ReactivityPlot.Render(section, $"{usable[0].Session.Description ?? usable[0].Session.Id.Value}") };
    }

    /// <summary>
    /// Alpha band power per channel, each stretch's weighted by its length; the stretch whose spectra the results
    /// already show (the reference eyes-closed one) is not analysed again.
    /// </summary>
    private async Task<double[]> PooledAlphaAsync(IReadOnlyList<(SessionSection Section, ConditionSegment Segment)> stretches, Domain.Access.Caller caller, CancellationToken cancellationToken)
    {
        double[]? sum = null;
        var seconds = 0.0;
        foreach (var (section, segment) in stretches)
        {
            var session = section.Session;
            var end = Math.Min(segment.EndSeconds, segment.StartSeconds + MaxSeconds(session));
            var result = section.Spectrum is { } shown && shown.StartSeconds == segment.StartSeconds && shown.EndSeconds == end
                ? shown.Result
                : (await SpectralAsync(session, segment.StartSeconds, end, caller, cancellationToken).ConfigureAwait(false)).Result;
            sum ??= new double[result.Channels.Count];
            for (var c = 0; c < sum.Length; c++)
            {
                sum[c] += result.Channels[c].BandPowerUv2["alpha"] * (end - segment.StartSeconds);
            }

            seconds += end - segment.StartSeconds;
        }

        return sum!.Select(s => s / seconds).ToArray();
    }

    /// <summary>The longest stretch one analysis may read (NeuralData:MaxAnalysisValues over the channels).</summary>
    private double MaxSeconds(RecordingSession session) =>
        Math.Floor(options.Value.MaxAnalysisValues / (double)session.Channels.Count) / session.SamplingRateHz;

    /// <summary>Parietal and occipital sites of the 10–20/10–10 systems (T5/T6 are P7/P8's older names).</summary>
    public static bool IsPosterior(string channel)
    {
        var name = channel.Trim().TrimEnd('.').ToUpperInvariant();
        return name is "O1" or "O2" or "OZ" or "P3" or "P4" or "PZ" or "P7" or "P8" or "T5" or "T6" or "PO3" or "PO4" or "POZ" or "PO7" or "PO8" or "P1" or "P2" or "P5" or "P6" or "O9" or "O10" or "IZ";
    }

    private static QualityProfile Profile(RecordingSession session) => session.Modality switch
    {
        Modality.ECG => QualityProfile.Ecg(session.SamplingRateHz),
        Modality.EMG => QualityProfile.Emg(session.SamplingRateHz),
        _ => QualityProfile.Eeg(session.SamplingRateHz),
    };

    private static int[] BlinkChannels(string[] names) =>
        names.Select((n, i) => (Name: n.Trim().TrimEnd('.').ToUpperInvariant(), i)).Where(x => x.Name is "FP1" or "FP2" or "FPZ").Select(x => x.i).ToArray();

    /// <summary>The electrode system and reference in words: 10–20 when every EEG label is one of its sites.</summary>
    public static string Montage(RecordingSession session)
    {
        var eeg = session.Channels.Where(c => c.Type == ChannelType.EEG).Select(c => c.Name.Trim().TrimEnd('.')).ToArray();
        if (eeg.Length == 0)
        {
            return $"{session.Channels.Count} {session.Modality} channel(s): {string.Join(", ", session.Channels.Select(c => c.Name))}";
        }

        var tenTwenty = eeg.All(n => Signals.Sources.ElectrodePositions.Find(n) is not null);
        var system = tenTwenty ? (eeg.Length <= 21 ? "International 10–20 system" : "10–10 system (extended 10–20)") : "Custom electrode labels";
        return $"{system}, {eeg.Length} EEG channel(s), referential as recorded (no re-referencing applied)";
    }
}

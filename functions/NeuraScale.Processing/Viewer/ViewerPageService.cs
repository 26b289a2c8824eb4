using System.Globalization;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Signals.Filters;
using NeuraScale.Signals.Montages;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.Viewer;

/// <summary>What an EEG reader asks for: a page of a recording in a montage with display filters.</summary>
/// <param name="StartSeconds">Page start, seconds from the recording's start.</param>
/// <param name="PageSeconds">Page length, 1–60 s (10 by default in the viewer).</param>
/// <param name="HighPassHz">Low-frequency filter (high-pass), or null for none.</param>
/// <param name="LowPassHz">High-frequency filter (low-pass), or null for none.</param>
/// <param name="NotchHz">Line-noise notch, or null for none.</param>
/// <param name="AtEnd">Ignore <see cref="StartSeconds"/>: the page that ends where the recording ends now (following a live recording).</param>
public sealed record ViewerPageRequest(string SessionId, double StartSeconds, double PageSeconds, MontageKind Montage, double? HighPassHz, double? LowPassHz, double? NotchHz, Caller Caller, bool AtEnd = false);

/// <summary>
/// What opening the viewer asks for. A null setting takes the modality's default (<see cref="ViewerDefaults"/>; the
/// montage: the double banana for EEG with a 10-20 set, else referential); a filter of 0 is off.
/// </summary>
public sealed record ViewerOpenRequest(string SessionId, double StartSeconds, double PageSeconds, MontageKind? Montage, double? HighPassHz, double? LowPassHz, double? NotchHz, Caller Caller);

/// <summary>What the viewer opens on: the session, and the request with every default filled in.</summary>
public sealed record ViewerOpening(ViewerSession Session, ViewerPageRequest Settings, double SensitivityUvPerMm);

/// <summary>One trace of a page, µV, one value per sample.</summary>
public sealed record ViewerTrace(string Name, float[] Microvolts);

/// <summary>An event marker on a page, seconds from the recording's start.</summary>
public sealed record ViewerEvent(double OnsetSeconds, double DurationSeconds, string Label);

/// <summary>A page: traces from <see cref="StartSeconds"/>, the markers in it, and where the recording ends now.</summary>
/// <param name="RecordingSeconds">The recording's length now (it grows while <see cref="Live"/>).</param>
public sealed record ViewerPage(string SessionId, double StartSeconds, double SamplingRateHz, IReadOnlyList<ViewerTrace> Traces, IReadOnlyList<ViewerEvent> Events, double RecordingSeconds, bool Live, string Filters);

/// <summary>What the viewer shows of a session: its traces in the requested montage and what the recording holds.</summary>
public sealed record ViewerSession(string SessionId, Modality Modality, double SamplingRateHz, double RecordingSeconds, bool Live, IReadOnlyList<string> Traces, int EventCount, string Filters, DateTimeOffset StartTime);

/// <summary>Event markers of a stretch of a recording, and how far the listing looked (<see cref="ScannedToSeconds"/>).</summary>
public sealed record ViewerEventList(string SessionId, IReadOnlyList<ViewerEvent> Events, double ScannedToSeconds, double RecordingSeconds, bool Live);

/// <summary>
/// Pages of a recording for the EEG viewer: the window plus a margin on either side is read, derived into the montage,
/// filtered zero-phase (as <c>scipy.signal.sosfiltfilt</c>, so a spike keeps its shape and time) with the server's own
/// filters — high-pass Butterworth order 2, low-pass order 4, notch Q 30 — and cut back to the page, so paging leaves
/// no filter transient at a page's edges (the margin is two periods of the high-pass cut-off, 1–10 s).
/// </summary>
public sealed class ViewerPageService(NeuralDataService neuralData, SignalWindowReader reader)
{
    public const double MaxPageSeconds = 60;

    /// <summary>How much of a recording one event listing scans (markers are stored in the chunks).</summary>
    public const double MaxEventSpanSeconds = 600;

    /// <summary>Most markers one listing returns.</summary>
    public const int MaxEvents = 2000;
    private const double NotchQuality = 30;

    /// <summary>
    /// Most values (traces × samples) one page carries: 16 MB as float32, ≈ 21 MB as base64 — 64 channels × 60 s at
    /// 1 kHz fit; a 128-channel 2 kHz recording is read in pages of up to 15 s.
    /// </summary>
    public const long MaxPageValues = 4_000_000;

    /// <summary>Pairs of the double banana's 18 a recording needs for the viewer to open in it by default.</summary>
    public const int MinimumBananaPairs = 12;

    /// <summary>
    /// Checks an opening request against its session without reading samples, filling in the defaults: what the viewer
    /// will show and with which settings. One catalog read.
    /// </summary>
    public async Task<ViewerOpening> OpenAsync(ViewerOpenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = await neuralData.GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        var defaults = ViewerDefaults.For(session.Modality, session.SamplingRateHz);
        static double? Resolve(double? value, double? fallback) => value switch { null => fallback, 0 => null, var v => v };
        var settings = new ViewerPageRequest(
            request.SessionId, request.StartSeconds, request.PageSeconds, request.Montage ?? DefaultMontage(session),
            Resolve(request.HighPassHz, defaults.HighPassHz), Resolve(request.LowPassHz, defaults.LowPassHz), Resolve(request.NotchHz, null), request.Caller);
        var page = Prepare(session, settings);
        var shown = new ViewerSession(
            session.Id.Value,
            session.Modality,
            session.SamplingRateHz,
            session.SampleCount / session.SamplingRateHz,
            session.Status == SessionStatus.Recording,
            page.Plan.Select(d => d.Name).ToArray(),
            session.EventCount,
            Describe(settings),
            session.StartTime);
        return new ViewerOpening(shown, settings, defaults.SensitivityUvPerMm);
    }

    // The double banana is what EEG is read in, but only for a near-complete 10-20 set: a few pairs would hide most of
    // what was recorded.
    private static MontageKind DefaultMontage(RecordingSession session)
    {
        if (session.Modality != Modality.EEG)
        {
            return MontageKind.Referential;
        }

        try
        {
            return Montage.Plan(MontageKind.LongitudinalBipolar, session.Channels.Select(c => c.Name).ToArray(), IsEeg(session)).Count >= MinimumBananaPairs
                ? MontageKind.LongitudinalBipolar
                : MontageKind.Referential;
        }
        catch (ArgumentException)
        {
            return MontageKind.Referential; // no pair at all
        }
    }

    public async Task<ViewerPage> GetPageAsync(ViewerPageRequest request, CancellationToken cancellationToken)
    {
        var (session, sos, plan, first, end) = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        var fs = session.SamplingRateHz;
        var recorded = session.SampleCount;
        var margin = sos is null ? 0 : (long)Math.Round(MarginSeconds(request) * fs);
        var readFirst = Math.Max(0, first - margin);
        var readEnd = Math.Min(recorded, end + margin);
        var channels = Enumerable.Range(0, session.Channels.Count).ToArray();
        var window = await reader.ReadAsync(session, readFirst, checked((int)(readEnd - readFirst)), channels, cancellationToken).ConfigureAwait(false);
        var isEeg = IsEeg(session);

        var count = window.SampleCount;
        var traces = plan.Select(_ => new double[count]).ToArray();
        Montage.Apply(plan, window.Data, isEeg, count, traces);
        if (sos is not null)
        {
            if (count <= sos.PadLength)
            {
                throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The recording holds {count / fs:0.###} s here, too little to filter (the filters need more than {sos.PadLength / fs:0.###} s); view it without filters."));
            }

            MultichannelZeroPhase.Filter(sos, traces, traces);
        }

        var offset = (int)(first - readFirst);
        var length = (int)(end - first);
        return new ViewerPage(
            session.Id.Value,
            first / fs,
            fs,
            plan.Select((d, i) => new ViewerTrace(d.Name, Array.ConvertAll(traces[i][offset..(offset + length)], v => (float)v))).ToArray(),
            window.Events.Where(e => e.Sample >= first && e.Sample < end).Select(e => new ViewerEvent(e.Sample / fs, e.DurationSamples / fs, e.Label)).ToArray(),
            recorded / fs,
            session.Status == SessionStatus.Recording,
            Describe(request));
    }

    /// <summary>
    /// The event markers from <paramref name="fromSeconds"/> on, for the viewer's list: at most
    /// <see cref="MaxEventSpanSeconds"/> of the recording per call (markers live in the chunks, so listing them reads the
    /// chunks), and at most <see cref="MaxEvents"/>; <see cref="ViewerEventList.ScannedToSeconds"/> says where to go on.
    /// </summary>
    public async Task<ViewerEventList> ListEventsAsync(string sessionId, double fromSeconds, Caller caller, CancellationToken cancellationToken)
    {
        var session = await neuralData.GetSessionAsync(sessionId, caller, cancellationToken).ConfigureAwait(false);
        var fs = session.SamplingRateHz;
        var recorded = session.SampleCount;
        var first = (long)Math.Round(fromSeconds * fs);
        if (!(fromSeconds >= 0) || (first >= recorded && recorded > 0))
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"from_seconds must be 0 or more and before the recording's end ({recorded / fs:0.###} s); got {fromSeconds}."));
        }

        var end = Math.Min(recorded, first + (long)Math.Round(MaxEventSpanSeconds * fs));
        if (end <= first)
        {
            return new ViewerEventList(session.Id.Value, [], 0, recorded / fs, session.Status == SessionStatus.Recording);
        }

        var window = await reader.ReadAsync(session, first, checked((int)(end - first)), [0], cancellationToken).ConfigureAwait(false);
        var events = window.Events
            .Where(e => e.Sample >= first && e.Sample < end)
            .OrderBy(e => e.Sample)
            .Take(MaxEvents)
            .Select(e => new ViewerEvent(e.Sample / fs, e.DurationSamples / fs, e.Label))
            .ToArray();
        var scannedTo = events.Length == MaxEvents ? (events[^1].OnsetSeconds * fs + 1) / fs : end / fs;
        return new ViewerEventList(session.Id.Value, events, scannedTo, recorded / fs, session.Status == SessionStatus.Recording);
    }

    private async Task<PreparedPage> PrepareAsync(ViewerPageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = await neuralData.GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        return Prepare(session, request);
    }

    private static PreparedPage Prepare(RecordingSession session, ViewerPageRequest request)
    {
        var fs = session.SamplingRateHz;
        var sos = Filters(request, fs);
        if (!(request.PageSeconds is >= 1 and <= MaxPageSeconds))
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"page_seconds must be 1–{MaxPageSeconds}; got {request.PageSeconds}."));
        }

        var recorded = session.SampleCount;
        var first = request.AtEnd ? Math.Max(0, recorded - (long)Math.Round(request.PageSeconds * fs)) : (long)Math.Round(request.StartSeconds * fs);
        if (!(request.StartSeconds >= 0) || first >= recorded)
        {
            throw new InvalidRequestException(recorded == 0
                ? "The recording holds no samples yet; try again in a moment."
                : string.Create(CultureInfo.InvariantCulture, $"start_seconds must be 0 or more and before the recording's end ({recorded / fs:0.###} s); got {request.StartSeconds}."));
        }

        var end = Math.Min(recorded, first + (long)Math.Round(request.PageSeconds * fs));
        IReadOnlyList<Derivation> plan;
        try
        {
            plan = Montage.Plan(request.Montage, session.Channels.Select(c => c.Name).ToArray(), IsEeg(session));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidRequestException("montage: " + ex.Message);
        }

        var values = plan.Count * (end - first);
        if (values > MaxPageValues)
        {
            var seconds = Math.Floor(MaxPageValues / (double)plan.Count / fs * 10) / 10;
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"A page of {plan.Count} traces × {request.PageSeconds} s at {fs:0.###} Hz is {values:N0} values, more than the {MaxPageValues:N0} one page carries; ask for page_seconds of at most {seconds:0.#}."));
        }

        return new PreparedPage(session, sos, plan, first, end);
    }

    private static bool[] IsEeg(RecordingSession session) => session.Channels.Select(c => c.Type == ChannelType.EEG).ToArray();

    private sealed record PreparedPage(RecordingSession Session, SecondOrderSections? Sos, IReadOnlyList<Derivation> Plan, long First, long End);

    // Two periods of the high-pass cut-off: its transient has decayed to ≈ 1e-4 by then (order 2, zero-phase).
    private static double MarginSeconds(ViewerPageRequest request) =>
        request.HighPassHz is { } hp ? Math.Clamp(2 / hp, 1, 10) : 1;

    private static SecondOrderSections? Filters(ViewerPageRequest request, double fs)
    {
        var nyquist = fs / 2;
        void Check(double? hz, string name)
        {
            if (hz is { } f && !(f > 0 && f < nyquist))
            {
                throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"{name} must be above 0 and below the Nyquist frequency ({nyquist:0.##} Hz); got {f}."));
            }
        }

        Check(request.HighPassHz, "high_pass_hz");
        Check(request.LowPassHz, "low_pass_hz");
        Check(request.NotchHz, "notch_hz");
        if (request.HighPassHz >= request.LowPassHz)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"high_pass_hz ({request.HighPassHz}) must be below low_pass_hz ({request.LowPassHz})."));
        }

        SecondOrderSections? sos = null;
        SecondOrderSections Add(SecondOrderSections next) => sos is null ? next : sos.Then(next);
        if (request.HighPassHz is { } high)
        {
            sos = Add(ButterworthDesign.Design(2, FilterKind.HighPass, fs, high));
        }

        if (request.LowPassHz is { } low)
        {
            sos = Add(ButterworthDesign.Design(4, FilterKind.LowPass, fs, low));
        }

        if (request.NotchHz is { } notch)
        {
            sos = Add(NotchDesign.Notch(notch, NotchQuality, fs));
        }

        return sos;
    }

    private static string Describe(ViewerPageRequest r) =>
        r.HighPassHz is null && r.LowPassHz is null && r.NotchHz is null
            ? "none"
            : string.Join(", ", new[]
            {
                r.HighPassHz is { } h ? string.Create(CultureInfo.InvariantCulture, $"high-pass {h} Hz (Butterworth 2, zero-phase)") : null,
                r.LowPassHz is { } l ? string.Create(CultureInfo.InvariantCulture, $"low-pass {l} Hz (Butterworth 4, zero-phase)") : null,
                r.NotchHz is { } n ? string.Create(CultureInfo.InvariantCulture, $"notch {n} Hz (Q {NotchQuality})") : null,
            }.Where(s => s is not null));
}

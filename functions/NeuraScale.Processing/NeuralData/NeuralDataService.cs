using System.Globalization;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Reading;
using NeuraScale.Signals;
using NeuraScale.Storage.Catalog;

namespace NeuraScale.Processing.NeuralData;

/// <summary>A get_neural_data request as received (before validation against the session).</summary>
/// <param name="Channels">Each a 0-based index or a channel name; null or empty for all.</param>
public sealed record NeuralDataRequest(string SessionId, IReadOnlyList<string>? Channels, double? StartTime, double? EndTime, int DownsampleFactor, Caller Caller);

/// <summary>
/// Finds sessions and reads windows of them for inline return: checks the caller's patient scope, validates the
/// request against the session, reads through the shared <see cref="SignalPlan"/> (filter margins and decimation as
/// exports do) and caps the number of values returned.
/// </summary>
public sealed class NeuralDataService(SessionCatalog catalog, SignalBlockReader reader, IOptions<NeuralDataOptions> options)
{
    private readonly int _maxValues = options.Value.MaxInlineValues;
    private readonly int _maxReadValues = options.Value.MaxReadValues;
    private readonly long _maxBulkValues = options.Value.MaxBulkValues;

    /// <summary>
    /// Looks a session up by the id a caller gave, or explains what to pass instead. A session of a patient outside
    /// the caller's scope is reported exactly as a missing one, so nothing about it leaks.
    /// </summary>
    public async Task<RecordingSession> GetSessionAsync(string sessionId, Caller caller, CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(sessionId?.Trim(), out var id))
        {
            throw new InvalidRequestException($"session_id '{sessionId}' is not a session id; ids look like 'ses_' followed by 20 characters a-z or 2-7. Use query_sessions to find one.");
        }

        var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return session is not null && caller.CanSee(session.Patient)
            ? session
            : throw new InvalidRequestException($"session_id '{id}' does not exist. Use query_sessions to list the sessions you can read.");
    }

    /// <summary>One page of the sessions the caller may see (the patient scope is applied in the catalog query itself).</summary>
    public Task<SessionPage> QueryAsync(SessionQuery query, Caller caller, CancellationToken cancellationToken)
    {
        if (!SessionCatalog.IsWellFormedCursor(query.Cursor))
        {
            throw new InvalidRequestException("cursor: " + SessionCatalog.ForeignCursorAdvice);
        }

        if (query.StartedFrom > query.StartedTo)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"start_date ({query.StartedFrom:O}) is after end_date ({query.StartedTo:O}); give a start_date at or before end_date."));
        }

        return catalog.QueryAsync(query with { AllowedPatients = caller.PatientScope }, cancellationToken);
    }

    /// <summary>Most catalog rows one search examines; past it the result says so and asks for narrower dates or a patient.</summary>
    public const int MaxSessionsExamined = 20_000;

    /// <summary>
    /// The caller's sessions matching <paramref name="search"/>, newest first, up to <paramref name="limit"/>: the
    /// catalog query applies patient, modality, device, dates, status and derived; duration, channels and events are
    /// checked on each session read, page after page, until enough match or <see cref="MaxSessionsExamined"/> were read.
    /// </summary>
    public async Task<SessionSearchResult> SearchAsync(Queries.SessionSearch search, Caller caller, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(caller);
        if (search.StartedFrom >= search.StartedBefore)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The dates asked for are empty: from {search.StartedFrom:O} to before {search.StartedBefore:O}. Give a start before the end."));
        }

        var query = new SessionQuery
        {
            Patient = search.Patient,
            Modality = search.Modality,
            DeviceId = search.DeviceId,
            StartedFrom = search.StartedFrom,
            StartedTo = search.StartedBefore?.AddTicks(-1),
            Status = search.Status,
            IncludeDerived = search.IncludeDerived,
            AllowedPatients = caller.PatientScope,
            Limit = SessionQuery.MaxLimit,
        };
        var found = new List<RecordingSession>();
        var unreadable = new List<string>();
        var examined = 0;
        string? cursor = null;
        do
        {
            var page = await catalog.QueryAsync(query with { Cursor = cursor }, cancellationToken).ConfigureAwait(false);
            examined += page.Sessions.Count + (page.Unreadable?.Count ?? 0);
            unreadable.AddRange(page.Unreadable ?? []);
            found.AddRange(page.Sessions.Where(search.Matches).Take(limit - found.Count));
            cursor = page.NextCursor;
        }
        while (found.Count < limit && cursor is not null && examined < MaxSessionsExamined);

        return new SessionSearchResult(found, examined, found.Count < limit && cursor is not null, unreadable);
    }

    public async Task<NeuralDataResult> GetAsync(NeuralDataRequest request, CancellationToken cancellationToken)
    {
        var session = await GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        var fs = session.SamplingRateHz;
        var channels = ChannelSelector.Resolve(request.Channels, session.Channels);
        var factor = request.DownsampleFactor;
        if (factor < 1 || factor > Decimation.MaxFactor)
        {
            throw new InvalidRequestException($"downsample_factor must be an integer from 1 (no downsampling) to {Decimation.MaxFactor}; got {factor}.");
        }

        var (first, end) = SampleWindow.Resolve(request.StartTime, request.EndTime, session);
        var whole = new SignalPlan(session, channels, first, end, factor, markersFromWindowStart: true);
        if (whole.Outputs == 0)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The window {first / fs:0.###}–{end / fs:0.###} s holds no sample at downsample_factor {factor} (the output grid is every {factor / fs:0.###} s); widen the window or lower downsample_factor."));
        }

        // Two caps: values returned, and values read (filter margins included) to compute them.
        var readableSamples = (_maxReadValues / channels.Length) - (2 * whole.HalfLength);
        var maxOutputs = Math.Max(1, Math.Min(_maxValues / channels.Length, readableSamples / factor));
        var truncated = whole.Outputs > maxOutputs;
        var plan = truncated
            ? new SignalPlan(session, channels, first, whole.FirstOutput + ((long)maxOutputs * factor), factor, markersFromWindowStart: true)
            : whole;

        var outputs = checked((int)plan.Outputs);
        var data = channels.Select(_ => new float[outputs]).ToArray();
        var events = new List<EventDescriptor>();
        await foreach (var block in reader.ReadAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            var (offset, count) = plan.Block(block.Index);
            for (var c = 0; c < channels.Length; c++)
            {
                block.Data[c].AsSpan(0, count).CopyTo(data[c].AsSpan((int)offset));
            }

            events.AddRange(block.Markers.Select(e => new EventDescriptor(e.Sample / fs, e.DurationSamples / fs, e.Label)));
        }

        return new NeuralDataResult(
            session.Id.Value,
            channels.Select(c => new ChannelDescriptor(c, session.Channels[c].Name, session.Channels[c].Type.ToString(), session.Channels[c].Unit)).ToArray(),
            fs / factor,
            fs,
            factor,
            factor == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"FIR low-pass, Hamming window, {(20 * factor) + 1} taps, cut-off {fs / (2 * factor):0.###} Hz (new Nyquist), zero-phase; as scipy.signal.decimate(x, {factor}, ftype='fir')"),
            plan.FirstOutput / fs,
            plan.EndSample / fs,
            outputs,
            [channels.Length, outputs],
            data,
            events,
            Math.Round(session.DurationSeconds, 6),
            truncated,
            truncated ? plan.EndSample / fs : null,
            truncated ? Bulk(session, channels, first, end) : null);
    }

    /// <summary>The requested window at the recorded rate as a bulk read (cut at <see cref="NeuralDataOptions.MaxBulkValues"/>).</summary>
    private BulkDownload Bulk(RecordingSession session, int[] channels, long first, long end)
    {
        end = Math.Min(end, first + Math.Max(1, _maxBulkValues / channels.Length));
        var window = new BulkWindow(session, channels, first, end);
        return new BulkDownload(
            BulkDataService.PathAndQuery(session, channels, window.StartTimeS, window.EndTimeS),
            "NumPy .npy, float32 ('<f4'), shape (channels, samples), physical units, at the recorded sampling rate (no downsampling)",
            window.ContentLength,
            [channels.Length, window.Samples],
            window.StartTimeS,
            window.EndTimeS,
            "data = numpy.load(io.BytesIO(urllib.request.urlopen(urllib.request.Request(url, headers={'Authorization': 'Bearer ' + key})).read()))");
    }
}

/// <summary>What a search found, how many catalog rows it read, and whether it stopped at <see cref="NeuralDataService.MaxSessionsExamined"/> with more left.</summary>
public sealed record SessionSearchResult(IReadOnlyList<RecordingSession> Sessions, int Examined, bool StoppedEarly, IReadOnlyList<string> Unreadable);

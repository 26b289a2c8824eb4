using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers;
using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;

namespace NeuraScale.EdgeRelay.Relay;

/// <summary>
/// Records one session from a driver to a sink: driver blocks → one-second chunks → disk spool → sink, deleting a
/// spooled chunk only after the sink confirms it. After a crash, <see cref="RunAsync(CancellationToken)"/> picks the session up where
/// the spool says it stopped: unsent chunks are sent, and reading resumes at the first sample not yet spooled.
/// </summary>
public sealed partial class RecordingRelay(
    IAmplifierDriver driver,
    IChunkSink sink,
    DiskSpool spool,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<RecordingRelay> logger)
{
    private readonly RelayOptions _options = options.Value;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingMarker> _markers = new();
    private long _newestSample;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<System.Threading.Channels.ChannelWriter<SampleBlock>, byte> _taps = new();

    /// <summary>
    /// The blocks of this recording as they arrive from the amplifier, from now until the recording ends or
    /// <paramref name="cancellationToken"/> fires: how a signal-quality check watches the very samples being recorded
    /// (an amplifier streams to one reader).
    /// </summary>
    public async IAsyncEnumerable<SampleBlock> TapAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<SampleBlock>(new() { SingleReader = true });
        _taps[channel.Writer] = 0;
        try
        {
            await foreach (var block in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return block;
            }
        }
        finally
        {
            _taps.TryRemove(channel.Writer, out _);
        }
    }

    /// <summary>
    /// Puts an operator's marker on the timeline at the newest sample read from the amplifier ("now" on the device).
    /// Completes once the chunk holding it is in the disk spool, so a marker reported placed survives a crash.
    /// </summary>
    public Task<EventMarker> MarkAsync(string label)
    {
        var pending = new PendingMarker(new EventMarker(Interlocked.Read(ref _newestSample), 0, label), new TaskCompletionSource<EventMarker>(TaskCreationOptions.RunContinuationsAsynchronously));
        (driver as IMarkerObserver)?.OnMarker(pending.Marker);
        _markers.Enqueue(pending);
        return pending.Placed.Task;
    }

    /// <summary>
    /// Records until the configured duration is reached or <paramref name="stopToken"/> is cancelled (an operator
    /// stop: the partial last chunk is kept and the session closed). A process that dies instead leaves the spool
    /// for the next run to resume.
    /// </summary>
    public async Task<RecordingSession> RunAsync(CancellationToken stopToken) => await RunAsync(null, stopToken).ConfigureAwait(false);

    /// <summary>As <see cref="RunAsync(CancellationToken)"/>; <paramref name="opened"/> hears of the session once the sink has it (the catalog lists it as recording).</summary>
    public async Task<RecordingSession> RunAsync(Action<RecordingSession>? opened, CancellationToken stopToken)
    {
        var state = spool.Load();
        if (state is null)
        {
            state = NewSession();
            spool.Save(state);
            LogStarted(state.Session.Id, state.Session.Channels.Count, state.Session.SamplingRateHz);
        }
        else
        {
            var pending = spool.PendingSequences().Count;
            LogResumed(state.Session.Id, state.NextSequence, pending);
        }

        var ready = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

        // The sender ignores an operator stop so that everything already spooled still reaches the sink; if the
        // sink stays down the process is stopped by the host and the next run sends what is left in the spool.
        var sender = SendAsync(state.Session, ready.Reader, opened, CancellationToken.None);
        try
        {
            if (!state.InputComplete)
            {
                state = await ProduceAsync(state, ready.Writer, stopToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ready.Writer.TryComplete();
        }

        await sender.ConfigureAwait(false);
        var total = state.FinalSampleCount ?? state.NextSample;
        await sink.CloseSessionAsync(state.Session.Id, SessionStatus.Completed, total, CancellationToken.None).ConfigureAwait(false);
        spool.Clear();
        LogCompleted(state.Session.Id, total);
        return state.Session;
    }

    private SpoolState NewSession()
    {
        var device = driver.Device;
        var session = new RecordingSession
        {
            Id = SessionId.New(),
            Patient = PatientPseudonym.Parse(_options.Patient),
            DeviceId = device.Id,
            DeviceModel = device.Model,
            Modality = device.Modality,
            Channels = device.Channels,
            SamplingRateHz = device.SamplingRateHz,
            StartTime = time.GetUtcNow(),
            Description = _options.Description,
        };
        SessionRules.ValidateLayout(session.Channels, session.SamplingRateHz);
        var until = _options.DurationSeconds > 0 ? (long)Math.Round(_options.DurationSeconds * session.SamplingRateHz) : long.MaxValue;
        return new SpoolState { Session = session, UntilSample = until };
    }

    private async Task<SpoolState> ProduceAsync(SpoolState state, ChannelWriter<bool> ready, CancellationToken stopToken)
    {
        var session = state.Session;
        var channels = session.Channels.Count;
        var chunkSamples = session.ChunkSamples;
        var buffer = new float[channels * chunkSamples];
        var events = new List<EventMarker>();
        var placed = new List<PendingMarker>();
        var filled = 0;

        // Markers inserted while recording go into the chunk that holds their onset (never earlier than its start; the
        // last chunk takes any still waiting, at its last sample at the latest).
        void TakeMarkers(long until, long last)
        {
            while (_markers.TryPeek(out var next) && next.Marker.Sample < until && _markers.TryDequeue(out var marker))
            {
                var onset = Math.Min(Math.Max(marker.Marker.Sample, state.NextSample), last);
                events.Add(marker.Marker with { Sample = onset });
                placed.Add(marker with { Marker = marker.Marker with { Sample = onset } });
            }
        }

        void Cut(bool final)
        {
            TakeMarkers(final ? long.MaxValue : state.NextSample + filled, state.NextSample + filled - 1);
            var samples = filled == chunkSamples ? buffer : Compact(buffer, channels, chunkSamples, filled);
            var chunk = new SignalChunk(session.Id, state.NextSequence, state.NextSample, session.SamplingRateHz, channels, samples, events.ToArray());
            spool.Write(chunk);
            state = state with { NextSequence = state.NextSequence + 1, InputComplete = final, FinalSampleCount = final ? chunk.FirstSample + chunk.SampleCount : null };
            spool.Save(state);
            ready.TryWrite(true);
            buffer = new float[channels * chunkSamples];
            events.Clear();
            filled = 0;
            foreach (var marker in placed)
            {
                marker.Placed.TrySetResult(marker.Marker);
            }

            placed.Clear();
        }

        try
        {
            await foreach (var block in driver.ReadAsync(state.NextSample, state.UntilSample, stopToken).ConfigureAwait(false))
            {
                var offset = 0;
                while (offset < block.SampleCount)
                {
                    var take = Math.Min(chunkSamples - filled, block.SampleCount - offset);
                    for (var c = 0; c < channels; c++)
                    {
                        block.Samples.AsSpan((c * block.SampleCount) + offset, take).CopyTo(buffer.AsSpan((c * chunkSamples) + filled, take));
                    }

                    var from = block.FirstSample + offset;
                    events.AddRange(block.Events.Where(e => e.Sample >= from && e.Sample < from + take));
                    TakeMarkers(from + take, from + take - 1);
                    filled += take;
                    offset += take;
                    if (filled == chunkSamples)
                    {
                        Cut(final: state.NextSample + chunkSamples >= state.UntilSample);
                    }
                }

                Interlocked.Exchange(ref _newestSample, block.FirstSample + block.SampleCount);
                foreach (var tap in _taps.Keys)
                {
                    tap.TryWrite(block);
                }
            }
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
        {
            LogStopRequested(session.Id);
        }
        finally
        {
            foreach (var tap in _taps.Keys)
            {
                tap.TryComplete(); // watchers see the recording end
            }
        }

        if (filled > 0)
        {
            Cut(final: true);
        }
        else if (!state.InputComplete)
        {
            state = state with { InputComplete = true };
            spool.Save(state);
        }

        while (_markers.TryDequeue(out var late))
        {
            late.Placed.TrySetException(new InvalidOperationException("The recording ended before the marker could be placed."));
        }

        return state;
    }

    private async Task SendAsync(RecordingSession session, ChannelReader<bool> ready, Action<RecordingSession>? opened, CancellationToken cancellationToken)
    {
        await RetryAsync(ct => sink.OpenSessionAsync(session, ct), "open session", cancellationToken).ConfigureAwait(false);
        opened?.Invoke(session);
        while (true)
        {
            // In groups, so a sink that batches (Event Hubs) drains a backlog in few round trips; a chunk leaves the
            // spool only once the sink has taken it.
            foreach (var group in spool.PendingSequences().Chunk(SendGroup))
            {
                var chunks = group.Select(spool.ReadChunk).ToList();
                while (chunks.Count > 0)
                {
                    var taken = 0;
                    await RetryAsync(async ct => taken = await sink.WriteChunksAsync(chunks, ct).ConfigureAwait(false), $"chunk {chunks[0].Sequence}", cancellationToken).ConfigureAwait(false);
                    if (taken <= 0)
                    {
                        throw new InvalidOperationException($"The sink took none of {chunks.Count} chunks and reported no error.");
                    }

                    foreach (var sent in chunks.Take(taken))
                    {
                        spool.Delete(sent.Sequence);
                    }

                    chunks.RemoveRange(0, taken);
                }
            }

            if (!await ready.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Producer finished; a last look for anything spooled after our final pass.
                if (spool.PendingSequences().Count == 0)
                {
                    return;
                }

                continue;
            }

            while (ready.TryRead(out _))
            {
            }
        }
    }

    /// <summary>Retries a sink call with exponential back-off: the spool holds the data while the sink is down.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> action, string what, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(_options.RetryDelaySeconds);
        var max = TimeSpan.FromSeconds(_options.MaxRetryDelaySeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && IsTransient(ex))
            {
                LogSendFailed(ex, what, attempt, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));
            }
        }
    }

    /// <summary>Validation and conflict errors will not heal by retrying; everything else (network, 5xx) may.</summary>
    private static bool IsTransient(Exception ex) => ex is not (ArgumentException or Storage.Signals.ConflictingChunkException or Storage.Streaming.EventTooLargeException);

    /// <summary>Chunks read from the spool per send: 32 s of signal, a few MB at most in memory.</summary>
    private const int SendGroup = 32;

    private static float[] Compact(float[] buffer, int channels, int stride, int filled)
    {
        var samples = new float[channels * filled];
        for (var c = 0; c < channels; c++)
        {
            buffer.AsSpan(c * stride, filled).CopyTo(samples.AsSpan(c * filled, filled));
        }

        return samples;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording session {SessionId}: {Channels} channels at {SamplingRate} Hz")]
    private partial void LogStarted(SessionId sessionId, int channels, double samplingRate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming session {SessionId} at chunk {NextSequence} with {Pending} chunks waiting in the spool")]
    private partial void LogResumed(SessionId sessionId, long nextSequence, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested for session {SessionId}; keeping the partial chunk and closing")]
    private partial void LogStopRequested(SessionId sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} completed with {Samples} samples per channel")]
    private partial void LogCompleted(SessionId sessionId, long samples);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {What} failed (attempt {Attempt}); retrying in {DelaySeconds} s")]
    private partial void LogSendFailed(Exception exception, string what, int attempt, double delaySeconds);

    private sealed record PendingMarker(EventMarker Marker, TaskCompletionSource<EventMarker> Placed);
}

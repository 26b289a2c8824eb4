using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Mcp.Security;
using NeuraScale.Signals;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Mcp.NeuralData;

/// <summary>A get_neural_data request as the tool received it (before validation).</summary>
public sealed record NeuralDataRequest(string SessionId, IReadOnlyList<JsonElement>? Channels, double? StartTime, double? EndTime, int DownsampleFactor, Caller Caller);

/// <summary>
/// Reads a window of a session for inline return: validates the request against the session, reads the chunks
/// (with filter margins), low-passes and decimates, and caps the number of values returned.
/// </summary>
public sealed class NeuralDataService(SessionCatalog catalog, SignalWindowReader reader, IOptions<NeuralDataOptions> options)
{
    private readonly int _maxValues = options.Value.MaxInlineValues;
    private readonly int _maxReadValues = options.Value.MaxReadValues;

    /// <summary>
    /// Looks a session up by the id a tool received, or explains what to pass instead. A session of a patient outside
    /// the caller's scope is reported exactly as a missing one, so nothing about it leaks.
    /// </summary>
    public async Task<RecordingSession> GetSessionAsync(string sessionId, Caller caller, CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(sessionId?.Trim(), out var id))
        {
            throw new ToolArgumentException($"session_id '{sessionId}' is not a session id; ids look like 'ses_' followed by 20 characters a-z or 2-7. Use query_sessions to find one.");
        }

        var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return session is not null && caller.CanSee(session.Patient)
            ? session
            : throw new ToolArgumentException($"session_id '{id}' does not exist. Use query_sessions to list the sessions you can read.");
    }

    public async Task<NeuralDataResult> GetAsync(NeuralDataRequest request, CancellationToken cancellationToken)
    {
        var session = await GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        var fs = session.SamplingRateHz;
        var duration = session.DurationSeconds;
        var channels = ChannelSelector.Resolve(request.Channels, session.Channels);
        var factor = request.DownsampleFactor;
        if (factor < 1 || factor > Decimation.MaxFactor)
        {
            throw new ToolArgumentException($"downsample_factor must be an integer from 1 (no downsampling) to {Decimation.MaxFactor}; got {factor}.");
        }

        var (first, end) = SampleWindow.Resolve(request.StartTime, request.EndTime, session);

        // Outputs sit on a grid of every factor-th sample from the recording start, so overlapping requests agree.
        var firstOut = (first + factor - 1) / factor * factor;
        var outputs = firstOut < end ? (int)((end - 1 - firstOut) / factor) + 1 : 0;
        if (outputs == 0)
        {
            throw new ToolArgumentException($"The window {first / fs:0.###}–{end / fs:0.###} s holds no sample at downsample_factor {factor} (the output grid is every {factor / fs:0.###} s); widen the window or lower downsample_factor.");
        }

        // Two caps: values returned, and values read (filter margins included) to compute them.
        var readableSamples = (_maxReadValues / channels.Length) - (factor == 1 ? 0 : 2 * Decimation.HalfLength(factor));
        var maxOutputs = Math.Max(1, Math.Min(_maxValues / channels.Length, readableSamples / factor));
        var truncated = outputs > maxOutputs;
        if (truncated)
        {
            outputs = maxOutputs;
        }

        var lastOut = firstOut + ((long)(outputs - 1) * factor);
        var windowEnd = truncated ? lastOut + factor : end;

        // One read covers the samples, the filter's reach on both sides (as far as the recording goes; beyond it the
        // signal counts as zero) and the markers of the window, which travel in the same chunks.
        var half = factor == 1 ? 0 : Decimation.HalfLength(factor);
        var from = Math.Max(0, Math.Min(first, firstOut - half));
        var to = Math.Min(session.SampleCount, Math.Max(windowEnd, lastOut + half + 1));
        var window = await reader.ReadAsync(session, from, checked((int)(to - from)), channels, cancellationToken).ConfigureAwait(false);
        var data = Downsample(window, checked((int)(firstOut - from)), outputs, factor);
        var events = window.Events
            .Where(e => e.Sample >= first && e.Sample < windowEnd)
            .Select(e => new EventDescriptor(e.Sample / fs, e.DurationSamples / fs, e.Label))
            .ToArray();

        return new NeuralDataResult(
            session.Id.Value,
            channels.Select(c => new ChannelDescriptor(c, session.Channels[c].Name, session.Channels[c].Type.ToString(), session.Channels[c].Unit)).ToArray(),
            fs / factor,
            fs,
            factor,
            factor == 1 ? null : $"FIR low-pass, Hamming window, {(20 * factor) + 1} taps, cut-off {fs / (2 * factor):0.###} Hz (new Nyquist), zero-phase; as scipy.signal.decimate(x, {factor}, ftype='fir')",
            firstOut / fs,
            windowEnd / fs,
            outputs,
            [channels.Length, outputs],
            data,
            events,
            Math.Round(duration, 6),
            truncated,
            truncated ? windowEnd / fs : null);
    }

    private static float[][] Downsample(SignalWindow window, int firstIndex, int outputs, int factor)
    {
        if (factor == 1)
        {
            return window.Data.Select(row => Array.ConvertAll(row[firstIndex..(firstIndex + outputs)], v => (float)v)).ToArray();
        }

        var taps = Decimation.AntiAliasTaps(factor);
        var output = new double[outputs];
        var result = new float[window.Data.Length][];
        for (var c = 0; c < window.Data.Length; c++)
        {
            Decimation.FilterAndDownsample(window.Data[c], taps, firstIndex, factor, output);
            result[c] = Array.ConvertAll(output, v => (float)v);
        }

        return result;
    }
}

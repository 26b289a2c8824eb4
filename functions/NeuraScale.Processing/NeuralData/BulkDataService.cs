using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Formats.Npy;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.NeuralData;

/// <summary>A window a caller may pull in bulk, resolved and checked, with the size of the file it becomes.</summary>
public sealed record BulkWindow(RecordingSession Session, int[] Channels, long FirstSample, long EndSample)
{
    public long Samples => EndSample - FirstSample;

    public byte[] Header { get; } = NpyHeader.Float32ChannelsBySamples(Channels.Length, EndSample - FirstSample);

    /// <summary>Exact length of the .npy file: header, then 4 bytes per value.</summary>
    public long ContentLength => Header.Length + (4L * Channels.Length * Samples);

    public double StartTimeS => FirstSample / Session.SamplingRateHz;

    public double EndTimeS => EndSample / Session.SamplingRateHz;

    public string FileName => string.Create(CultureInfo.InvariantCulture, $"{Session.Id}_{StartTimeS:0.###}-{EndTimeS:0.###}s.npy");
}

/// <summary>
/// The bulk read path: a window of a recording as one NumPy <c>.npy</c> file (float32, physical units, shape
/// (channels, samples)), streamed chunk by chunk at the storage's pace instead of as pages of JSON numbers. The same
/// checks as get_neural_data (patient scope, channels, window), a larger cap (<see cref="NeuralDataOptions.MaxBulkValues"/>).
/// </summary>
public sealed class BulkDataService(NeuralDataService neuralData, SignalWindowReader reader, IOptions<NeuralDataOptions> options)
{
    /// <summary>Where the HTTP host serves a window; <see cref="PathAndQuery"/> builds links to it.</summary>
    public const string Route = "/data/sessions/{session_id}.npy";

    /// <summary>The query parameters the route accepts.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["channels", "start_time", "end_time"];

    private readonly long _maxValues = options.Value.MaxBulkValues;

    /// <summary>Resolves a request against the session, or explains what is allowed (<see cref="InvalidRequestException"/>).</summary>
    public async Task<BulkWindow> ResolveAsync(string sessionId, IReadOnlyList<string>? channels, double? startTime, double? endTime, Caller caller, CancellationToken cancellationToken)
    {
        var session = await neuralData.GetSessionAsync(sessionId, caller, cancellationToken).ConfigureAwait(false);
        var selected = ChannelSelector.Resolve(channels, session.Channels);
        var (first, end) = SampleWindow.Resolve(startTime, endTime, session);
        var window = new BulkWindow(session, selected, first, end);
        if ((long)selected.Length * window.Samples > _maxValues)
        {
            var seconds = _maxValues / selected.Length / session.SamplingRateHz;
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"The window holds {selected.Length} channel(s) × {window.Samples} samples, more than the {_maxValues:N0} values one bulk read may return; ask for at most {seconds:0.#} s of these channels at a time, or fewer channels."));
        }

        return window;
    }

    /// <summary>Writes the .npy file: the header, then each chunk's samples transposed to one sample after another.</summary>
    public async Task WriteNpyAsync(BulkWindow window, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteAsync(window.Header, cancellationToken).ConfigureAwait(false);

        var session = window.Session;
        var channels = window.Channels;
        var firstChunk = window.FirstSample / session.ChunkSamples;
        var lastChunk = (window.EndSample - 1) / session.ChunkSamples;
        // '<f4' is little-endian, as .NET's floats are in memory on every platform it runs on here (x64, Arm64).
        var buffer = ArrayPool<byte>.Shared.Rent(sizeof(float) * channels.Length * session.ChunkSamples);
        try
        {
            await foreach (var chunk in reader.ReadChunksAsync(session, firstChunk, lastChunk, cancellationToken).ConfigureAwait(false))
            {
                var from = (int)(Math.Max(window.FirstSample, chunk.FirstSample) - chunk.FirstSample);
                var to = (int)(Math.Min(window.EndSample, chunk.FirstSample + chunk.SampleCount) - chunk.FirstSample);
                var count = Interleave(chunk.Samples, chunk.SampleCount, channels, from, to, MemoryMarshal.Cast<byte, float>(buffer.AsSpan()));
                await output.WriteAsync(buffer.AsMemory(0, count * sizeof(float)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Samples <paramref name="from"/>..<paramref name="to"/> of the chosen channels of a channel-major block
    /// (<paramref name="perChannel"/> samples per channel), written sample-major into <paramref name="target"/>.
    /// </summary>
    public static int Interleave(ReadOnlySpan<float> channelMajor, int perChannel, ReadOnlySpan<int> channels, int from, int to, Span<float> target)
    {
        var width = channels.Length;
        for (var c = 0; c < width; c++)
        {
            var source = channelMajor.Slice(channels[c] * perChannel, perChannel);
            for (int s = from, k = c; s < to; s++, k += width)
            {
                target[k] = source[s];
            }
        }

        return (to - from) * width;
    }

    /// <summary>
    /// The path and query of the link to a window: channel names (none when it is every channel in order), seconds with
    /// the precision of a sample.
    /// </summary>
    public static string PathAndQuery(RecordingSession session, IReadOnlyList<int> channels, double startTimeS, double endTimeS)
    {
        var all = channels.Count == session.Channels.Count && channels.Select((c, i) => c == i).All(x => x);
        var selection = all ? string.Empty : "channels=" + Uri.EscapeDataString(string.Join(",", channels.Select(c => session.Channels[c].Name))) + "&";
        return string.Create(CultureInfo.InvariantCulture, $"/data/sessions/{session.Id.Value}.npy?{selection}start_time={startTimeS:0.######}&end_time={endTimeS:0.######}");
    }
}

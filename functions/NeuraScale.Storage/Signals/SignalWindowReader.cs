using System.Runtime.CompilerServices;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Signals;

/// <summary>A window of samples: <c>Data[channel][sample]</c> in physical units, and the markers inside it.</summary>
/// <param name="FirstSample">Session sample index of <c>Data[c][0]</c>.</param>
public sealed record SignalWindow(long FirstSample, double[][] Data, IReadOnlyList<EventMarker> Events)
{
    public int SampleCount => Data.Length == 0 ? 0 : Data[0].Length;
}

/// <summary>
/// Reads any window of a stored session by fetching and verifying the chunks that cover it, from the process's
/// <see cref="ChunkCache"/> when given one and the chunk is there.
/// </summary>
public sealed class SignalWindowReader(SignalStore store, ChunkCache? cache = null)
{
    private const int ParallelChunkReads = 8;

    /// <summary>
    /// Reads samples <paramref name="firstSample"/> to <paramref name="firstSample"/> + <paramref name="count"/> − 1
    /// of the given channels. Throws <see cref="CorruptChunkException"/> for a chunk that fails verification and
    /// <see cref="MissingChunkException"/> for a gap; a window is never served with holes.
    /// </summary>
    public async Task<SignalWindow> ReadAsync(RecordingSession session, long firstSample, int count, IReadOnlyList<int> channels, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (firstSample + count > session.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Window ends at sample {firstSample + count}, past the {session.SampleCount} samples stored.");
        }

        var data = channels.Select(_ => new double[count]).ToArray();
        var events = new List<EventMarker>();
        if (count == 0)
        {
            return new SignalWindow(firstSample, data, events);
        }

        var chunkSamples = session.ChunkSamples;
        var firstChunk = firstSample / chunkSamples;
        var lastChunk = (firstSample + count - 1) / chunkSamples;
        var sequences = Enumerable.Range(0, checked((int)(lastChunk - firstChunk + 1))).Select(i => firstChunk + i);

        await Parallel.ForEachAsync(
            sequences,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelChunkReads, CancellationToken = cancellationToken },
            async (sequence, ct) =>
            {
                var chunk = await GetChunkAsync(session, sequence, remember: true, ct).ConfigureAwait(false);
                var from = Math.Max(firstSample, chunk.FirstSample);
                var to = Math.Min(firstSample + count, chunk.FirstSample + chunk.SampleCount);
                for (var c = 0; c < channels.Count; c++)
                {
                    var source = chunk.Channel(channels[c]);
                    var target = data[c];
                    for (var s = from; s < to; s++)
                    {
                        target[s - firstSample] = source[(int)(s - chunk.FirstSample)];
                    }
                }

                lock (events)
                {
                    events.AddRange(chunk.Events.Where(e => e.Sample >= firstSample && e.Sample < firstSample + count));
                }
            }).ConfigureAwait(false);

        events.Sort((a, b) => a.Sample.CompareTo(b.Sample));
        return new SignalWindow(firstSample, data, events);
    }

    /// <summary>
    /// The verified chunks <paramref name="firstSequence"/> to <paramref name="lastSequence"/> of a session, in order,
    /// with up to <see cref="ParallelChunkReads"/> downloads in flight ahead of the one being consumed, so a bulk reader
    /// runs at the storage's pace in bounded memory. Chunks already cached are used; those read are not added (a bulk
    /// pull of a long window would evict what interactive readers need).
    /// </summary>
    public async IAsyncEnumerable<SignalChunk> ReadChunksAsync(RecordingSession session, long firstSequence, long lastSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSequence);
        if (lastSequence >= (session.SampleCount + session.ChunkSamples - 1) / session.ChunkSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(lastSequence), $"Chunk {lastSequence} is past the {session.SampleCount} samples stored.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Queue<Task<SignalChunk>>();
        var next = firstSequence;
        try
        {
            while (inFlight.Count > 0 || next <= lastSequence)
            {
                while (inFlight.Count < ParallelChunkReads && next <= lastSequence)
                {
                    inFlight.Enqueue(GetChunkAsync(session, next++, remember: false, stop.Token));
                }

                yield return await inFlight.Dequeue().ConfigureAwait(false);
            }
        }
        finally
        {
            // Abandoned (the client went away, or a chunk failed): stop the downloads ahead and observe their faults.
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var pending in inFlight)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception) when (pending.IsFaulted || pending.IsCanceled)
                {
                }
            }
        }
    }

    /// <summary>One chunk, from the cache or storage, verified against the session's layout.</summary>
    private async Task<SignalChunk> GetChunkAsync(RecordingSession session, long sequence, bool remember, CancellationToken cancellationToken)
    {
        if (cache is not null && cache.TryGet(session.Id, sequence, out var cached))
        {
            return cached;
        }

        var chunk = await store.ReadChunkAsync(session.Id, sequence, cancellationToken).ConfigureAwait(false)
            ?? throw new MissingChunkException(session.Id, sequence);
        if (chunk.ChannelCount != session.Channels.Count || chunk.FirstSample != sequence * session.ChunkSamples)
        {
            throw new CorruptChunkException($"Chunk {sequence} of session {session.Id} does not match the session layout.");
        }

        if (remember)
        {
            cache?.Add(chunk);
        }

        return chunk;
    }
}

/// <summary>A chunk that the catalog says exists is not in storage.</summary>
public sealed class MissingChunkException(SessionId sessionId, long sequence)
    : InvalidOperationException($"Chunk {sequence} of session {sessionId} is missing from storage although the catalog lists it; the window cannot be served without a gap.")
{
    public long Sequence { get; } = sequence;
}

using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeuraScale.Storage.Audit;

/// <summary>Where audit entries go: who did what to which resources, with what outcome. Every layer that acts on someone's behalf writes here.</summary>
public interface IAuditLog
{
    /// <summary>Keyed hash of a call's arguments: equal arguments give equal hashes, but the hash cannot be reversed by guessing.</summary>
    string HashArguments(string canonicalJson);

    /// <summary>Appends an entry (durable when the task completes), assigning its writer, sequence number, time and chain hashes.</summary>
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Walks every writer's chain and reports the first entry whose link, seal or checkpoint does not hold.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>The audit log could not make an entry durable; the call it records must not return a result.</summary>
public sealed class AuditUnavailableException(string message, Exception? inner) : Exception(message, inner);

/// <summary>
/// This process's writer of the audit log (see <see cref="AuditArchive"/> for the layout). Callers queue entries; one
/// loop seals whatever has queued into one block (group commit) and appends it to this writer's own segment, then
/// completes every caller in it — so a result is never returned before its entry is durable, no lock is held across a
/// storage round trip, and instances never contend. Segments roll over before the block limit; the head is
/// checkpointed every <see cref="AuditOptions.CheckpointIntervalSeconds"/> and at shutdown.
/// </summary>
public sealed partial class AuditLog : IAuditLog, IAsyncDisposable, IDisposable
{
    private readonly AuditArchive _archive;
    private readonly TimeProvider _time;
    private readonly AuditOptions _options;
    private readonly ILogger<AuditLog> _logger;
    // Read (and so validated) when first needed, not at construction: resolving the log must not throw.
    private readonly Lazy<AuditChain> _chain;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lazy<Task> _loop;

    // The writer's state: touched only by the loop.
    private int _segment;
    private bool _segmentOpen;
    private long _length;
    private int _blocks;
    private long _sequence;
    private string _head = AuditChain.GenesisHash;
    private long _checkpointed;
    private DateTimeOffset _lastCheckpoint;

    public AuditLog(StorageClients clients, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditLog> logger)
    {
        _archive = new AuditArchive(clients);
        _time = time;
        _options = options.Value;
        _logger = logger;
        _chain = new(() => new AuditChain(options.Value.ArgumentHashKey));
        _loop = new(() => Task.Run(RunAsync));
        _lastCheckpoint = time.GetUtcNow();
        Writer = NewWriterName(time.GetUtcNow());
    }

    /// <summary>This process's chain: start time, host and a random part, so no two processes ever share one.</summary>
    public string Writer { get; }

    public string HashArguments(string canonicalJson) => _chain.Value.HashArguments(canonicalJson);

    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(entry, new TaskCompletionSource<AuditEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        _ = _chain.Value; // a missing or refused key fails the caller here, not the loop
        _ = _loop.Value;
        if (!_queue.Writer.TryWrite(pending))
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        new AuditVerifier(_archive, _chain.Value).VerifyAsync(cancellationToken);

    /// <summary>Commits what is queued and records the head, so a clean shutdown leaves a checkpoint at the very end.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value.ConfigureAwait(false);
        }
    }

    /// <summary>For containers disposed synchronously: the same flush, waited for.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_options.MaxEntriesPerAppend);
        var interval = TimeSpan.FromSeconds(_options.CheckpointIntervalSeconds);
        var ready = _queue.Reader.WaitToReadAsync().AsTask();
        while (true)
        {
            if (_sequence > _checkpointed && !ready.IsCompleted)
            {
                // Idle with entries not yet checkpointed: wait for more, but no longer than the checkpoint is due.
                var due = _lastCheckpoint + interval - _time.GetUtcNow();
                using var wake = new CancellationTokenSource();
                var delay = Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, _time, wake.Token);
                if (await Task.WhenAny(ready, delay).ConfigureAwait(false) == delay)
                {
                    await CheckpointAsync().ConfigureAwait(false);
                    continue;
                }

                await wake.CancelAsync().ConfigureAwait(false);
            }

            if (!await ready.ConfigureAwait(false))
            {
                break;
            }

            batch.Clear();
            while (batch.Count < _options.MaxEntriesPerAppend && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch).ConfigureAwait(false);
            if (_sequence > _checkpointed && _time.GetUtcNow() - _lastCheckpoint >= interval)
            {
                await CheckpointAsync().ConfigureAwait(false);
            }

            ready = _queue.Reader.WaitToReadAsync().AsTask();
        }

        if (_sequence > _checkpointed)
        {
            await CheckpointAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Seals the batch onto the head and appends it as one block; up to three tries, each on a fresh segment.</summary>
    private async Task CommitAsync(List<Pending> batch)
    {
        Exception? failure = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (entries, block) = Seal(batch);
            try
            {
                if (!_segmentOpen || _blocks >= _options.MaxBlocksPerSegment)
                {
                    await OpenNextSegmentAsync().ConfigureAwait(false);
                }

                _blocks = await _archive.AppendAsync(Writer, _segment, block, _length, CancellationToken.None).ConfigureAwait(false);
                Advance(entries, block.Length);
                Complete(batch, entries);
                return;
            }
            catch (Exception ex)
            {
                // The append may have landed although it reported failure (the SDK retried one that had succeeded).
                if (_segmentOpen && await LandedAsync(entries[^1]).ConfigureAwait(false))
                {
                    Complete(batch, entries);
                    return;
                }

                // Otherwise this segment's state is uncertain: continue the chain from the last durable entry in a new one.
                _segmentOpen = false;
                failure = ex;
                LogAppendFailed(_logger, Writer, _segment, ex.GetType().Name + ": " + ex.Message);
            }
        }

        var error = new AuditUnavailableException("The audit log could not record this call, so it was not completed. Try again; if it persists, storage is unavailable.", failure);
        foreach (var pending in batch)
        {
            pending.Done.TrySetException(error);
        }
    }

    private (AuditEntry[] Entries, byte[] Block) Seal(List<Pending> batch)
    {
        var chain = _chain.Value;
        var entries = new AuditEntry[batch.Count];
        var previous = _head;
        using var block = new MemoryStream();
        for (var i = 0; i < batch.Count; i++)
        {
            entries[i] = chain.Seal(batch[i].Entry with { Writer = Writer, Sequence = _sequence + i + 1, Time = _time.GetUtcNow(), PreviousHash = previous, Hash = string.Empty });
            previous = entries[i].Hash;
            block.Write(AuditChain.Line(entries[i]));
        }

        return (entries, block.ToArray());
    }

    /// <summary>
    /// Creates the next segment. The number advances only once its blob exists, so a creation that fails leaves no
    /// gap in the numbering (verification reads a gap as a removed segment).
    /// </summary>
    private async Task OpenNextSegmentAsync()
    {
        var next = _segment + 1;
        while (!await _archive.CreateSegmentAsync(Writer, next, CancellationToken.None).ConfigureAwait(false))
        {
            next++; // a blob of that name exists: not ours to append to
        }

        _segment = next;
        _segmentOpen = true;
        _length = 0;
        _blocks = 0;
    }

    /// <summary>Whether the segment's last entry is <paramref name="last"/>; if so the writer's state catches up with it.</summary>
    private async Task<bool> LandedAsync(AuditEntry last)
    {
        try
        {
            var tail = await _archive.TailAsync(Writer, _segment, CancellationToken.None).ConfigureAwait(false);
            if (tail.Last is { } found && found.Sequence == last.Sequence && found.Hash == last.Hash)
            {
                _length = tail.Length;
                _blocks = tail.Blocks;
                _sequence = last.Sequence;
                _head = last.Hash;
                return true;
            }
        }
        catch (Exception)
        {
            // Storage (or the credential for it) is still failing: treat as not landed. Never let the loop die.
        }

        return false;
    }

    private void Advance(AuditEntry[] entries, int bytes)
    {
        _length += bytes;
        _sequence = entries[^1].Sequence;
        _head = entries[^1].Hash;
    }

    private static void Complete(List<Pending> batch, AuditEntry[] entries)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(entries[i]);
        }
    }

    private async Task CheckpointAsync()
    {
        var checkpoint = new AuditCheckpoint(Writer, _sequence, _head, _segment, _time.GetUtcNow());
        try
        {
            await _archive.WriteCheckpointAsync(checkpoint, CancellationToken.None).ConfigureAwait(false);
            _checkpointed = checkpoint.Sequence;
        }
        catch (Exception ex)
        {
            // Entries are durable without it; the next checkpoint covers them. Only the window for an undetected cut grows.
            LogCheckpointFailed(_logger, Writer, checkpoint.Sequence, ex.Message);
        }

        _lastCheckpoint = _time.GetUtcNow();
    }

    private static string NewWriterName(DateTimeOffset now)
    {
        var host = Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 } instance ? instance : Environment.MachineName;
        var clean = new string(host.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(12).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{(clean.Length > 0 ? clean : "host")}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit writer {Writer} could not append to segment {Segment} ({Error}); continuing in a new segment.")]
    private static partial void LogAppendFailed(ILogger logger, string writer, int segment, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit writer {Writer} could not write a checkpoint at entry {Sequence}: {Error}")]
    private static partial void LogCheckpointFailed(ILogger logger, string writer, long sequence, string error);

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource<AuditEntry> Done);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.RateLimits;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// One budget per caller across every instance: sliding-window counters (<see cref="SlidingWindow"/>) in Table storage,
/// read and conditionally incremented (<see cref="RateCounterTable"/>), so the limit holds however far the app scales
/// out. An instance reserves a lease of permits at a time (<see cref="RateLimitOptions.LeasePercent"/> of the limit,
/// counted in the table when taken) and hands them out from memory until the lease or the window ends, so a busy caller
/// costs one round trip per lease, not per call. Per instance, one caller's calls take turns on the counter (no
/// process-wide lock) and a caller already refused is refused from memory until its retry time, so a flood costs no
/// storage round trips. If storage cannot be reached,
/// ordinary tools (and failed authentications) fall back to this instance's own counters, and exports and device control are refused: they are the
/// calls a limit exists to stop.
/// </summary>
public sealed partial class SharedRateLimitStore(
    RateCounterTable counters,
    InProcessRateLimitStore fallback,
    IOptions<RateLimitOptions> options,
    TimeProvider time,
    ILogger<SharedRateLimitStore> logger) : IRateLimitStore
{
    private const int MaxAttempts = 8;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    public async ValueTask<RateLimitDecision> AcquireAsync(string caller, RateLimitCategory category, CancellationToken cancellationToken = default)
    {
        var window = TimeSpan.FromSeconds(options.Value.WindowSeconds);
        var limit = options.Value.LimitFor(category);
        var bucket = _buckets.GetOrAdd(caller + "|" + category, static _ => new Bucket());
        if (bucket.RefusedUntil - time.GetUtcNow() is { Ticks: > 0 } remaining)
        {
            return new RateLimitDecision(false, limit, TimeSpan.FromSeconds(Math.Ceiling(remaining.TotalSeconds)));
        }

        await bucket.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var now = time.GetUtcNow();
                var (current, elapsed) = SlidingWindow.Locate(now, window);
                if (bucket.LeaseWindow == current && bucket.LeaseRemaining > 0)
                {
                    bucket.LeaseRemaining--;
                    return new RateLimitDecision(true, limit, TimeSpan.Zero);
                }

                var counts = await counters.ReadAsync(caller + "|" + category, current, cancellationToken).ConfigureAwait(false);
                var decision = SlidingWindow.Decide(counts.Previous, counts.Current, limit, elapsed, window);
                if (!decision.Allowed)
                {
                    bucket.RefusedUntil = now + decision.RetryAfter;
                    return decision;
                }

                // Reserve up to a lease of what the window still has room for (at least this call, which Decide allowed).
                var room = (int)Math.Floor(limit - (counts.Previous * (1 - elapsed)) - counts.Current + 1e-9);
                var lease = Math.Clamp(options.Value.LeaseFor(limit), 1, Math.Max(1, room));
                if (await counters.TryWriteAsync(caller + "|" + category, current, counts.Current + lease, counts.CurrentETag, cancellationToken).ConfigureAwait(false))
                {
                    bucket.LeaseWindow = current;
                    bucket.LeaseRemaining = lease - 1;
                    return decision;
                }

                // Another instance counted a call for this caller in between: read again.
            }

            return new RateLimitDecision(false, limit, TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any way of not reaching the table (refused, unreachable, no credential): the limit must never fail the call.
            LogStoreUnavailable(logger, category, ex.GetType().Name, (ex as Azure.RequestFailedException)?.ErrorCode ?? ex.Message);
            return category is RateLimitCategory.Default or RateLimitCategory.AuthenticationFailure
                ? await fallback.AcquireAsync(caller, category, cancellationToken).ConfigureAwait(false)
                : new RateLimitDecision(false, limit, TimeSpan.FromSeconds(5));
        }
        finally
        {
            bucket.Turn.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared rate-limit store could not be reached ({Error}: {Detail}); a {Category} call was decided without it.")]
    private static partial void LogStoreUnavailable(ILogger logger, RateLimitCategory category, string error, string? detail);

    private sealed class Bucket
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public DateTimeOffset RefusedUntil { get; set; }

        /// <summary>The window of the permits reserved and not yet handed out; they lapse with it.</summary>
        public long LeaseWindow { get; set; } = -1;

        public int LeaseRemaining { get; set; }
    }
}

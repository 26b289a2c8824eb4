using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Mcp.Security;

/// <summary>Which budget a tool call spends (the brief's categories).</summary>
public enum RateLimitCategory
{
    Default,
    DataExport,
    DeviceControl,

    /// <summary>Requests without a valid credential, per client address (key guessing).</summary>
    AuthenticationFailure,
}

/// <summary>Calls per caller per window, by category. Section <c>Security:RateLimits</c>; defaults from the brief.</summary>
public sealed class RateLimitOptions
{
    [Range(1, 1_000_000)]
    public int Default { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int DataExport { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int DeviceControl { get; set; } = 50;

    /// <summary>Requests without a valid credential allowed per client address per window; past it, 429.</summary>
    [Range(1, 1_000_000)]
    public int AuthenticationFailures { get; set; } = 30;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// <c>shared</c> (default): counters in the storage account, one budget per caller across every instance.
    /// <c>in-process</c>: this process's memory only (a single instance, or stdio).
    /// </summary>
    [AllowedValues("shared", "in-process")]
    public string Store { get; set; } = "shared";

    /// <summary>
    /// With the shared store: the share of a caller's limit an instance reserves from the shared counter in one round
    /// trip and then hands out from memory (within the same window). Larger means fewer storage calls; the cost is
    /// that permits an instance reserved but did not use lapse at the window's end, so a caller spread over N instances
    /// may be refused up to N × (lease − 1) calls before its limit. It is never admitted past it.
    /// </summary>
    [Range(1, 100)]
    public int LeasePercent { get; set; } = 10;

    /// <summary>Permits reserved per round trip for <paramref name="limit"/>: <see cref="LeasePercent"/> of it, at least one.</summary>
    public int LeaseFor(int limit) => Math.Max(1, (int)((long)limit * LeasePercent / 100));

    public int LimitFor(RateLimitCategory category) => category switch
    {
        RateLimitCategory.DataExport => DataExport,
        RateLimitCategory.DeviceControl => DeviceControl,
        RateLimitCategory.AuthenticationFailure => AuthenticationFailures,
        _ => Default,
    };
}

/// <summary>The outcome of asking for one call's worth of budget.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, TimeSpan RetryAfter);

/// <summary>
/// Where rate-limit counters live: <see cref="SharedRateLimitStore"/> (Table storage, one budget per caller across
/// every instance; the default) or <see cref="InProcessRateLimitStore"/> (this process only).
/// </summary>
public interface IRateLimitStore
{
    ValueTask<RateLimitDecision> AcquireAsync(string caller, RateLimitCategory category, CancellationToken cancellationToken = default);
}

/// <summary>
/// Sliding-window counters held in this process (see <see cref="SlidingWindow"/>): exact for one instance; with N
/// instances a caller could get N × the limit, which is why the shared store is the default. Also the shared store's
/// fallback for ordinary tools while storage is unreachable.
/// </summary>
public sealed class InProcessRateLimitStore(Microsoft.Extensions.Options.IOptions<RateLimitOptions> options, TimeProvider time) : IRateLimitStore
{
    private readonly ConcurrentDictionary<(string Caller, RateLimitCategory Category), Counter> _counters = new();

    public ValueTask<RateLimitDecision> AcquireAsync(string caller, RateLimitCategory category, CancellationToken cancellationToken = default)
    {
        var window = TimeSpan.FromSeconds(options.Value.WindowSeconds);
        var limit = options.Value.LimitFor(category);
        var (current, elapsed) = SlidingWindow.Locate(time.GetUtcNow(), window);
        var counter = _counters.GetOrAdd((caller, category), _ => new Counter());
        lock (counter)
        {
            counter.MoveTo(current);
            var decision = SlidingWindow.Decide(counter.Previous, counter.Current, limit, elapsed, window);
            if (decision.Allowed)
            {
                counter.Current++;
            }

            return ValueTask.FromResult(decision);
        }
    }

    private sealed class Counter
    {
        public long Window { get; private set; }

        public int Previous { get; private set; }

        public int Current { get; set; }

        /// <summary>Rolls the counts forward to <paramref name="window"/>: the current becomes the previous, or both fade out.</summary>
        public void MoveTo(long window)
        {
            if (window == Window)
            {
                return;
            }

            Previous = window == Window + 1 ? Current : 0;
            Current = 0;
            Window = window;
        }
    }
}

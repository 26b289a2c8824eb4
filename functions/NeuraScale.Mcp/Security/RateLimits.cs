using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;

namespace NeuraScale.Mcp.Security;

/// <summary>Which budget a tool call spends (the brief's categories).</summary>
public enum RateLimitCategory
{
    Default,
    DataExport,
    DeviceControl,
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

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    public int LimitFor(RateLimitCategory category) => category switch
    {
        RateLimitCategory.DataExport => DataExport,
        RateLimitCategory.DeviceControl => DeviceControl,
        _ => Default,
    };
}

/// <summary>The outcome of asking for one call's worth of budget.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, TimeSpan RetryAfter);

/// <summary>
/// Where rate-limit counters live. In-process now; a shared store (see docs/security.md) replaces it when several
/// instances serve one caller.
/// </summary>
public interface IRateLimitStore
{
    ValueTask<RateLimitDecision> AcquireAsync(string caller, RateLimitCategory category, CancellationToken cancellationToken = default);
}

/// <summary>
/// A fixed window per (caller, category): each window gets fresh <see cref="FixedWindowRateLimiter"/>s (no
/// self-replenishment), and a <see cref="TimeProvider"/> timer starts the next window, so tests move time instead of
/// waiting for it.
/// </summary>
public sealed class InProcessRateLimitStore : IRateLimitStore, IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private ConcurrentDictionary<(string Caller, RateLimitCategory Category), FixedWindowRateLimiter> _limiters = new();
    private DateTimeOffset _nextWindow;

    public InProcessRateLimitStore(Microsoft.Extensions.Options.IOptions<RateLimitOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var window = TimeSpan.FromSeconds(_options.WindowSeconds);
        _nextWindow = time.GetUtcNow() + window;
        _timer = time.CreateTimer(_ => StartNextWindow(window), null, window, window);
    }

    public ValueTask<RateLimitDecision> AcquireAsync(string caller, RateLimitCategory category, CancellationToken cancellationToken = default)
    {
        var limit = _options.LimitFor(category);
        while (true)
        {
            var limiter = Volatile.Read(ref _limiters).GetOrAdd((caller, category), _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromSeconds(_options.WindowSeconds),
                AutoReplenishment = false,
                QueueLimit = 0,
            }));
            try
            {
                using var lease = limiter.AttemptAcquire();
                var retryAfter = lease.IsAcquired ? TimeSpan.Zero : Max(_nextWindow - _time.GetUtcNow(), TimeSpan.FromSeconds(1));
                return ValueTask.FromResult(new RateLimitDecision(lease.IsAcquired, limit, retryAfter));
            }
            catch (ObjectDisposedException)
            {
                // The window ended between finding the limiter and using it: ask the new window's.
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        DisposeAll(_limiters);
    }

    private void StartNextWindow(TimeSpan window)
    {
        _nextWindow = _time.GetUtcNow() + window;
        DisposeAll(Interlocked.Exchange(ref _limiters, new()));
    }

    private static void DisposeAll(ConcurrentDictionary<(string, RateLimitCategory), FixedWindowRateLimiter> limiters)
    {
        foreach (var limiter in limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

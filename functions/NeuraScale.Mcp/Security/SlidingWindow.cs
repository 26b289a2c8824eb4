namespace NeuraScale.Mcp.Security;

/// <summary>
/// The sliding-window counter (as Cloudflare and Redis-based limiters use it): windows aligned to the clock, so every
/// instance agrees on them, and a call is allowed while <c>previous × (1 − elapsed) + current</c> stays within the
/// limit, where <c>elapsed</c> is the fraction of the current window gone. Unlike a fixed window it gives no fresh
/// budget at a boundary: a caller who used the limit just before it waits for the previous window to fade. Pure
/// arithmetic, shared by the in-process and the shared store.
/// </summary>
public static class SlidingWindow
{
    /// <summary>The current window's number (windows since the Unix epoch) and the fraction of it already gone.</summary>
    public static (long Window, double Elapsed) Locate(DateTimeOffset now, TimeSpan window)
    {
        var length = (long)window.TotalMilliseconds;
        var t = now.ToUnixTimeMilliseconds();
        return (t / length, t % length / (double)length);
    }

    /// <summary>Whether one more call fits, and if not, how long until it would (at least a second, in whole seconds).</summary>
    public static RateLimitDecision Decide(int previous, int current, int limit, double elapsed, TimeSpan window)
    {
        if (previous * (1 - elapsed) + current + 1 <= limit + 1e-9)
        {
            return new RateLimitDecision(true, limit, TimeSpan.Zero);
        }

        // Solve previous × (1 − f) + current + 1 ≤ limit for the fraction f at which the call would fit, assuming no
        // other calls meanwhile; once this window is full, the same in the next one (where this window is "previous").
        double waitFraction;
        if (current + 1 <= limit && previous > 0)
        {
            waitFraction = 1 - (limit - current - 1) / (double)previous - elapsed;
        }
        else
        {
            waitFraction = 1 - elapsed + (current > 0 ? Math.Max(0, 1 - (limit - 1) / (double)current) : 0);
        }

        var seconds = Math.Max(1, Math.Ceiling(waitFraction * window.TotalSeconds - 1e-9));
        return new RateLimitDecision(false, limit, TimeSpan.FromSeconds(seconds));
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Mcp.Security;

namespace NeuraScale.Tests.Unit;

public class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (InProcessRateLimitStore Store, FakeTimeProvider Time) Create(int limit = 3)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new InProcessRateLimitStore(Options.Create(new RateLimitOptions { Default = limit, DataExport = 1, DeviceControl = 2 }), time), time);
    }

    [Fact]
    public async Task AcquireAsync_ExhaustedWindow_RefusesWithRetryAfter_UntilThePreviousWindowHasFaded()
    {
        var (store, time) = Create();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed);
        }

        // Three calls at the start of a 60 s window: the next fits once 3 × (1 − f) + 0 + 1 ≤ 3 in the next window, f = ⅓.
        var refused = await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct);
        Assert.False(refused.Allowed);
        Assert.Equal(3, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(80), refused.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(60)); // a new window is no fresh budget
        var stillRefused = await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct);
        Assert.False(stillRefused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(20), stillRefused.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed);
    }

    [Fact]
    public async Task AcquireAsync_ABurstAcrossAWindowBoundary_GetsTheLimitOnce_NotTwice()
    {
        var (store, time) = Create(limit: 10);
        time.Advance(TimeSpan.FromSeconds(59));
        var allowed = 0;
        for (var i = 0; i < 20; i++)
        {
            allowed += (await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed ? 1 : 0;
        }

        time.Advance(TimeSpan.FromSeconds(2)); // one second into the next window: a fixed window would grant 10 more here
        for (var i = 0; i < 20; i++)
        {
            allowed += (await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed ? 1 : 0;
        }

        Assert.Equal(10, allowed);
    }

    [Theory]
    [InlineData(0, 0, 3, 0.0, true, 0)]
    [InlineData(0, 3, 3, 0.0, false, 80)]
    [InlineData(3, 0, 3, 0.0, false, 20)]
    [InlineData(3, 0, 3, 0.5, true, 0)]
    [InlineData(60, 30, 100, 0.5, true, 0)]
    [InlineData(100, 50, 100, 0.5, false, 1)] // fits after 0.6 s; never less than a second
    public void Decide_SolvesForTheMomentTheNextCallFits(int previous, int current, int limit, double elapsed, bool allowed, int retrySeconds)
    {
        var decision = SlidingWindow.Decide(previous, current, limit, elapsed, TimeSpan.FromSeconds(60));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(retrySeconds), decision.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_CallersAndCategories_HaveSeparateBudgets()
    {
        var (store, _) = Create(limit: 1);

        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed);
        Assert.False((await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed);
        Assert.True((await store.AcquireAsync("key:b", RateLimitCategory.Default, Ct)).Allowed);
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.DataExport, Ct)).Allowed);
        Assert.False((await store.AcquireAsync("key:a", RateLimitCategory.DataExport, Ct)).Allowed);
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.DeviceControl, Ct)).Allowed);
    }

    [Fact]
    public void Defaults_AreTheBriefs() =>
        Assert.Equal((100, 10, 50, 60), (new RateLimitOptions().Default, new RateLimitOptions().DataExport, new RateLimitOptions().DeviceControl, new RateLimitOptions().WindowSeconds));
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Mcp.Security;

namespace NeuraScale.Tests.Unit;

public class RateLimitTests
{
    private static (InProcessRateLimitStore Store, FakeTimeProvider Time) Create(int limit = 3)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new InProcessRateLimitStore(Options.Create(new RateLimitOptions { Default = limit, DataExport = 1, DeviceControl = 2 }), time), time);
    }

    [Fact]
    public async Task AcquireAsync_ExhaustedWindow_RefusesWithRetryAfter_ThenRecoversWhenTimeMoves()
    {
        var (store, time) = Create();
        using var _ = store;
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken)).Allowed);
        }

        var refused = await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken);
        Assert.False(refused.Allowed);
        Assert.Equal(3, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(45));
        var stillRefused = await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken);
        Assert.False(stillRefused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(15), stillRefused.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken)).Allowed);
    }

    [Fact]
    public async Task AcquireAsync_CallersAndCategories_HaveSeparateBudgets()
    {
        var (store, _) = Create(limit: 1);
        using var __ = store;

        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken)).Allowed);
        Assert.False((await store.AcquireAsync("key:a", RateLimitCategory.Default, TestContext.Current.CancellationToken)).Allowed);
        Assert.True((await store.AcquireAsync("key:b", RateLimitCategory.Default, TestContext.Current.CancellationToken)).Allowed);
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.DataExport, TestContext.Current.CancellationToken)).Allowed);
        Assert.False((await store.AcquireAsync("key:a", RateLimitCategory.DataExport, TestContext.Current.CancellationToken)).Allowed);
        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.DeviceControl, TestContext.Current.CancellationToken)).Allowed);
    }

    [Fact]
    public void Defaults_AreTheBriefs() =>
        Assert.Equal((100, 10, 50, 60), (new RateLimitOptions().Default, new RateLimitOptions().DataExport, new RateLimitOptions().DeviceControl, new RateLimitOptions().WindowSeconds));
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage;
using NeuraScale.Storage.RateLimits;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The shared rate-limit store on Azurite, as several instances use it at once: one budget per caller however many
/// instances serve it, a refused caller refused without a round trip, and what happens when storage is unreachable.
/// </summary>
public sealed class SharedRateLimitTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RateLimitOptions Limits = new() { Default = 50, DataExport = 5, DeviceControl = 10, WindowSeconds = 60 };

    [Fact]
    public async Task FourInstances_RacingForOneCaller_AllowExactlyTheLimit_AndKeepCallersApart()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T10:00:20Z", System.Globalization.CultureInfo.InvariantCulture));
        var instances = Enumerable.Range(0, 4).Select(_ => Store(clients, time)).ToArray();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => instances[i % 4].AcquireAsync("key:busy", RateLimitCategory.Default, Ct).AsTask()));

        Assert.Equal(50, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.RetryAfter >= TimeSpan.FromSeconds(1)));
        Assert.True((await instances[0].AcquireAsync("key:quiet", RateLimitCategory.Default, Ct)).Allowed);
        Assert.True((await instances[1].AcquireAsync("key:busy", RateLimitCategory.DataExport, Ct)).Allowed);

        // The next window does not reset the budget: a second into it, 50 × (1 − 1/60) + 1 > 50.
        time.Advance(TimeSpan.FromSeconds(41));
        Assert.False((await instances[2].AcquireAsync("key:busy", RateLimitCategory.Default, Ct)).Allowed);

        // Housekeeping removes counters nobody wrote since the cutoff (here: all three rows written above).
        Assert.Equal(3, await new RateCounterTable(clients).DeleteOlderThanAsync(DateTimeOffset.UtcNow.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task AnInstance_ReservesALeaseOfPermits_CountedWhenTaken_SoNoCallerPassesItsLimit_AndUnusedPermitsLapseWithTheWindow()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limits = new RateLimitOptions { Default = 100, WindowSeconds = 60, LeasePercent = 10 };
        var a = Store(clients, time, limits);
        var b = Store(clients, time, limits);
        var table = new RateCounterTable(clients);
        var window = SlidingWindow.Locate(time.GetUtcNow(), TimeSpan.FromSeconds(60)).Window;

        // One call on A reserves ten permits: the shared counter says 10 although one was used.
        Assert.True((await a.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed);
        Assert.Equal(10, (await table.ReadAsync("key:spread|Default", window, Ct)).Current);

        // The next nine on A cost no round trip (the counter does not move); the eleventh takes a second lease.
        for (var i = 0; i < 9; i++)
        {
            Assert.True((await a.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed);
        }

        Assert.Equal(10, (await table.ReadAsync("key:spread|Default", window, Ct)).Current);
        Assert.True((await a.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed);
        Assert.Equal(20, (await table.ReadAsync("key:spread|Default", window, Ct)).Current);

        // B gets what is left (80), not more: A's nine reserved permits count, so the caller is refused after 91 calls
        // in all — within the documented N × (lease − 1) of its limit, never past it.
        var onB = 0;
        while ((await b.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed)
        {
            onB++;
        }

        Assert.Equal(80, onB);
        Assert.Equal(100, (await table.ReadAsync("key:spread|Default", window, Ct)).Current);

        // A still holds nine of its lease in this window...
        Assert.True((await a.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed);

        // ...which lapse with it: two windows later the caller starts afresh, with a new lease counted.
        time.Advance(TimeSpan.FromSeconds(120));
        Assert.True((await a.AcquireAsync("key:spread", RateLimitCategory.Default, Ct)).Allowed);
        Assert.Equal(10, (await table.ReadAsync("key:spread|Default", window + 2, Ct)).Current);
    }

    [Fact]
    public async Task StorageUnreachable_OrdinaryToolsFallBackToTheInstance_ExportsAndDeviceControlAreRefused()
    {
        var options = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(options); // tables never created: every request fails
        var store = Store(clients, TimeProvider.System);

        Assert.True((await store.AcquireAsync("key:a", RateLimitCategory.Default, Ct)).Allowed);
        var export = await store.AcquireAsync("key:a", RateLimitCategory.DataExport, Ct);
        Assert.False(export.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(5), export.RetryAfter);
        Assert.False((await store.AcquireAsync("key:a", RateLimitCategory.DeviceControl, Ct)).Allowed);
    }

    private static SharedRateLimitStore Store(StorageClients clients, TimeProvider time, RateLimitOptions? limits = null) =>
        new(new RateCounterTable(clients), new InProcessRateLimitStore(Options.Create(limits ?? Limits), time), Options.Create(limits ?? Limits), time, NullLogger<SharedRateLimitStore>.Instance);
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The service's catalog trusts a finished session's row for <see cref="StorageOptions.SessionCacheSeconds"/>: listings
/// and reads skip the point read, recordings in progress are always read fresh, its own writes replace what it kept,
/// and another instance's change shows within the bound.
/// </summary>
public sealed class SessionRowCacheTests(AzuriteFixture azurite)
{
    private static readonly SimulatedAmplifier Eeg = new(new SimulatorOptions { ChannelCount = 4 });
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FinishedSessions_AreReadOnce_ThenFromMemory_UntilTheBound()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var time = new FakeTimeProvider(Day);
        var cached = new SessionCatalog(clients, time, Options.Create(new StorageOptions { SessionCacheSeconds = 5 }));
        var other = new SessionCatalog(clients); // another instance
        var finished = TestSessions.For(Eeg, Day) with { Status = SessionStatus.Completed, SampleCount = 100 };
        var live = TestSessions.For(Eeg, Day.AddHours(1)) with { Status = SessionStatus.Recording, SampleCount = 100 };
        await other.AddAsync(finished, ct);
        await other.AddAsync(live, ct);

        var first = await cached.QueryAsync(new SessionQuery { Limit = 10 }, ct);
        var second = await cached.QueryAsync(new SessionQuery { Limit = 10 }, ct);

        Assert.Equal([live.Id, finished.Id], first.Sessions.Select(s => s.Id));
        Assert.Equal(first.Sessions.Select(s => s.Id), second.Sessions.Select(s => s.Id));
        Assert.Equal(first.EntitiesRead - 1, second.EntitiesRead); // the finished row came from memory; the live one did not

        // Another instance changes both: the live one shows at once, the finished one once the bound has passed.
        await other.UpdateAsync(finished.Id, s => s with { EventCount = 7 }, ct);
        await other.UpdateAsync(live.Id, s => s with { SampleCount = 350 }, ct);
        Assert.Equal(350, (await cached.GetAsync(live.Id, ct))!.SampleCount);
        Assert.Equal(0, (await cached.GetAsync(finished.Id, ct))!.EventCount);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(7, (await cached.GetAsync(finished.Id, ct))!.EventCount);
    }

    [Fact]
    public async Task OwnWrites_ReplaceWhatWasKept_AndACompletedRecordingIsKeptFromThen()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var time = new FakeTimeProvider(Day);
        var cached = new SessionCatalog(clients, time, Options.Create(new StorageOptions { SessionCacheSeconds = 60 }));
        var session = TestSessions.For(Eeg, Day) with { Status = SessionStatus.Recording };
        await cached.AddAsync(session, ct);

        await cached.UpdateAsync(session.Id, s => s with { Status = SessionStatus.Completed, SampleCount = 500 }, ct);
        var listed = await cached.QueryAsync(new SessionQuery { Limit = 10, Status = SessionStatus.Completed }, ct);

        Assert.Equal(SessionStatus.Completed, Assert.Single(listed.Sessions).Status);
        Assert.Equal(500, listed.Sessions[0].SampleCount);
        var fresh = await new SessionCatalog(clients).QueryAsync(new SessionQuery { Limit = 10, Status = SessionStatus.Completed }, ct);
        Assert.Equal(fresh.EntitiesRead - 1, listed.EntitiesRead); // its row was not read again
    }

    [Fact]
    public async Task WithoutOptions_EveryReadGoesToStorage()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var catalog = new SessionCatalog(clients);
        var writer = new SessionCatalog(clients);
        var session = TestSessions.For(Eeg, Day) with { Status = SessionStatus.Completed };
        await writer.AddAsync(session, ct);
        Assert.NotNull(await catalog.GetAsync(session.Id, ct));

        await writer.UpdateAsync(session.Id, s => s with { EventCount = 3 }, ct);

        Assert.Equal(3, (await catalog.GetAsync(session.Id, ct))!.EventCount);
    }
}

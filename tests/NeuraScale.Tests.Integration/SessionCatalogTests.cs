using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage.Catalog;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

public class SessionCatalogTests(AzuriteFixture azurite)
{
    private static readonly SimulatedAmplifier Eeg = new(new SimulatorOptions { ChannelCount = 4 });
    private static readonly SimulatedAmplifier Ecg = new(new SimulatorOptions { Modality = Modality.ECG, ChannelCount = 3, SamplingRateHz = 500 });
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private async Task<SessionCatalog> CatalogAsync() => new(await azurite.CreateStorageAsync(TestContext.Current.CancellationToken));

    [Fact]
    public async Task AddAsync_ThenGet_RoundTripsEveryField()
    {
        var catalog = await CatalogAsync();
        var session = TestSessions.For(Eeg, Day) with { SampleCount = 1234, EventCount = 3, Description = "resting, eyes closed" };

        await catalog.AddAsync(session, TestContext.Current.CancellationToken);
        var stored = await catalog.GetAsync(session.Id, TestContext.Current.CancellationToken);

        Assert.NotNull(stored);
        Assert.Equal(session with { Channels = stored.Channels }, stored);
        Assert.Equal(session.Channels, stored.Channels);
    }

    [Fact]
    public async Task OneDamagedRow_IsSkippedAndNamed_TheRestIsListed()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var catalog = new SessionCatalog(clients);
        var older = TestSessions.For(Eeg, Day);
        var newer = TestSessions.For(Eeg, Day.AddHours(2));
        await catalog.AddAsync(older, ct);
        await catalog.AddAsync(newer, ct);

        // A hand-edited session row: its sampling rate is text.
        var damaged = (await clients.SessionsTable.GetEntityAsync<Azure.Data.Tables.TableEntity>("id_" + older.Id.Value, "session", cancellationToken: ct)).Value;
        damaged["SamplingRateHz"] = "fast";
        await clients.SessionsTable.UpdateEntityAsync(damaged, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace, ct);

        var page = await catalog.QueryAsync(new SessionQuery { Limit = 10 }, ct);

        Assert.Equal([newer.Id], page.Sessions.Select(s => s.Id));
        Assert.Equal(["id_" + older.Id.Value + "/session"], page.Unreadable);
    }

    [Fact]
    public async Task AddAsync_Twice_KeepsTheFirstAndDoesNotFail()
    {
        var catalog = await CatalogAsync();
        var session = TestSessions.For(Eeg, Day);

        await catalog.AddAsync(session, TestContext.Current.CancellationToken);
        var again = await catalog.AddAsync(session with { Description = "changed" }, TestContext.Current.CancellationToken);

        Assert.Null(again.Description);
        Assert.Single((await catalog.QueryAsync(new SessionQuery(), TestContext.Current.CancellationToken)).Sessions);
    }

    [Fact]
    public async Task QueryAsync_NewestFirst_WithFiltersAndExactPaging()
    {
        var catalog = await CatalogAsync();
        var patient = PatientPseudonym.New();
        var sessions = new List<RecordingSession>();
        for (var i = 0; i < 7; i++)
        {
            var amp = i % 3 == 0 ? Ecg : Eeg;
            var session = TestSessions.For(amp, Day.AddHours(i), i % 2 == 0 ? patient : null);
            sessions.Add(session);
            await catalog.AddAsync(session, TestContext.Current.CancellationToken);
        }

        // Paging through everything three at a time returns each session once, newest first.
        var seen = new List<SessionId>();
        string? cursor = null;
        do
        {
            var page = await catalog.QueryAsync(new SessionQuery { Limit = 3, Cursor = cursor }, TestContext.Current.CancellationToken);
            Assert.True(page.Sessions.Count <= 3);
            seen.AddRange(page.Sessions.Select(s => s.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(sessions.OrderByDescending(s => s.StartTime).Select(s => s.Id), seen);

        var byPatient = await catalog.QueryAsync(new SessionQuery { Patient = patient }, TestContext.Current.CancellationToken);
        Assert.Equal([6, 4, 2, 0], byPatient.Sessions.Select(s => sessions.FindIndex(x => x.Id == s.Id)));

        var ecg = await catalog.QueryAsync(new SessionQuery { Modality = Modality.ECG }, TestContext.Current.CancellationToken);
        Assert.Equal([6, 3, 0], ecg.Sessions.Select(s => sessions.FindIndex(x => x.Id == s.Id)));

        // Both ends of a date range are inclusive.
        var range = await catalog.QueryAsync(new SessionQuery { StartedFrom = Day.AddHours(2), StartedTo = Day.AddHours(4) }, TestContext.Current.CancellationToken);
        Assert.Equal([4, 3, 2], range.Sessions.Select(s => sessions.FindIndex(x => x.Id == s.Id)));
    }

    [Fact]
    public async Task QueryAsync_ForeignCursor_IsRejectedWithAdvice()
    {
        var catalog = await CatalogAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => catalog.QueryAsync(new SessionQuery { Cursor = "not-a-cursor" }, TestContext.Current.CancellationToken));
        Assert.Contains("next_cursor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentWriters_LoseNoUpdate()
    {
        var catalog = await CatalogAsync();
        var session = TestSessions.For(Eeg, Day);
        await catalog.AddAsync(session, TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            catalog.UpdateAsync(session.Id, s => s with { EventCount = s.EventCount + 1 }, TestContext.Current.CancellationToken)));

        var stored = await catalog.GetAsync(session.Id, TestContext.Current.CancellationToken);
        Assert.Equal(8, stored!.EventCount);
        var listed = await catalog.QueryAsync(new SessionQuery(), TestContext.Current.CancellationToken);
        Assert.Equal(8, Assert.Single(listed.Sessions).EventCount);
    }
}

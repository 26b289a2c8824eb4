using Azure.Data.Tables;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage.Catalog;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The catalog's keys on Azurite: each query reads the rows it returns (plus a page of look-ahead), not the catalog —
/// measured as entities read, which is what Table storage bills and scales by — and the old layout is moved over.
/// </summary>
public class SessionCatalogScaleTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SimulatedAmplifier Eeg = new(new SimulatorOptions { ChannelCount = 4 });
    private static readonly SimulatedAmplifier Ecg = new(new SimulatorOptions { Modality = Modality.ECG, ChannelCount = 3, SamplingRateHz = 500, DeviceId = "Ward-ECG/02" });
    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 240 sessions over six months: 206 of other patients, 4 of patient P, 6 on the ECG device, 3 still recording, and
    /// 30 derived copies; returned oldest first.
    /// </summary>
    private async Task<(SessionCatalog Catalog, PatientPseudonym P, List<RecordingSession> All)> PopulateAsync()
    {
        var catalog = new SessionCatalog(await azurite.CreateStorageAsync(Ct));
        var p = PatientPseudonym.New();
        var all = new List<RecordingSession>();
        for (var i = 0; i < 210; i++)
        {
            var start = January.AddHours(i * 20.5); // ≈ 6 months
            var amp = i % 35 == 7 ? Ecg : Eeg;
            var patient = i % 50 == 3 ? p : PatientPseudonym.New();
            all.Add(TestSessions.For(amp, start, patient) with { Status = i % 70 == 5 ? SessionStatus.Recording : SessionStatus.Completed });
        }

        all.AddRange(all.Take(30).Select(s => s with
        {
            Id = SessionId.New(),
            Lineage = new RecordingLineage { SourceSessionId = s.Id, RootSessionId = s.Id, SourceFirstSample = 0, SourceChannels = [0, 1, 2], Steps = [] },
        }).ToArray());
        // One at a time as ingest does for half of them, in bulk for the rest: both must list the same way.
        await Parallel.ForEachAsync(all.Where((_, i) => i % 2 == 0), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (s, ct) => await catalog.AddAsync(s, ct));
        await catalog.AddManyAsync(all.Where((_, i) => i % 2 == 1).ToArray(), cancellationToken: Ct);
        return (catalog, p, all.OrderBy(s => s.StartTime).ToList());
    }

    [Fact]
    public async Task EachQuery_ReadsAboutWhatItReturns_NotTheCatalog()
    {
        var (catalog, p, all) = await PopulateAsync();
        var recordings = all.Where(s => s.Lineage is null).OrderByDescending(s => s.StartTime).ToList();

        // Newest first: 10 listed; the index page (11 rows) + 10 session rows + the months row.
        var newest = await catalog.QueryAsync(new SessionQuery { Limit = 10 }, Ct);
        Assert.Equal(recordings.Take(10).Select(s => s.Id), newest.Sessions.Select(s => s.Id));
        Assert.InRange(newest.EntitiesRead, 21, 22);

        // By patient: that patient's rows only.
        var mine = recordings.Where(s => s.Patient == p).ToList();
        var byPatient = await catalog.QueryAsync(new SessionQuery { Patient = p }, Ct);
        Assert.Equal(mine.Select(s => s.Id), byPatient.Sessions.Select(s => s.Id));
        Assert.Equal(2 * mine.Count, byPatient.EntitiesRead);

        // By device (any case): that device's rows only.
        var ecg = recordings.Where(s => s.DeviceId == "Ward-ECG/02").ToList();
        var byDevice = await catalog.QueryAsync(new SessionQuery { DeviceId = "ward-ecg/02" }, Ct);
        Assert.True(ecg.Select(s => s.Id).SequenceEqual(byDevice.Sessions.Select(s => s.Id)), $"{ecg.Count} expected, {byDevice.Sessions.Count} listed, {byDevice.EntitiesRead} read");
        Assert.Equal(2 * ecg.Count, byDevice.EntitiesRead);

        // By modality: the ECG sessions, month by month (one months row).
        var byModality = await catalog.QueryAsync(new SessionQuery { Modality = Modality.ECG }, Ct);
        Assert.Equal(ecg.Select(s => s.Id), byModality.Sessions.Select(s => s.Id));
        Assert.Equal((2 * ecg.Count) + 1, byModality.EntitiesRead);

        // A date range: March only.
        var march = recordings.Where(s => s.StartTime >= January.AddMonths(2) && s.StartTime < January.AddMonths(3)).ToList();
        var inMarch = await catalog.QueryAsync(new SessionQuery { StartedFrom = January.AddMonths(2), StartedTo = January.AddMonths(3).AddTicks(-1), Limit = 1000 }, Ct);
        Assert.Equal(march.Select(s => s.Id), inMarch.Sessions.Select(s => s.Id));
        Assert.Equal((2 * march.Count) + 1, inMarch.EntitiesRead);

        // A caller limited to two patients: their partitions merged newest first; nobody else's rows read.
        var other = recordings[17].Patient;
        var scoped = recordings.Where(s => s.Patient == p || s.Patient == other).ToList();
        var byScope = await catalog.QueryAsync(new SessionQuery { AllowedPatients = [p, other] }, Ct);
        Assert.Equal(scoped.Select(s => s.Id), byScope.Sessions.Select(s => s.Id));
        Assert.Equal(2 * scoped.Count, byScope.EntitiesRead);

        // In progress: the few still recording, by the status index; when one completes it moves.
        var live = recordings.Where(s => s.Status == SessionStatus.Recording).ToList();
        var recording = await catalog.QueryAsync(new SessionQuery { Status = SessionStatus.Recording }, Ct);
        Assert.Equal(live.Select(s => s.Id), recording.Sessions.Select(s => s.Id));
        Assert.Equal((2 * live.Count) + 1, recording.EntitiesRead);
        await catalog.UpdateAsync(live[0].Id, s => s with { Status = SessionStatus.Completed, SampleCount = 100 }, Ct);
        Assert.Equal(live.Skip(1).Select(s => s.Id), (await catalog.QueryAsync(new SessionQuery { Status = SessionStatus.Recording }, Ct)).Sessions.Select(s => s.Id));
        Assert.Contains(live[0].Id, (await catalog.QueryAsync(new SessionQuery { Status = SessionStatus.Completed, Limit = 1000 }, Ct)).Sessions.Select(s => s.Id));

        // Derived copies are in their own index: listed only when asked for, merged in order.
        var withDerived = await catalog.QueryAsync(new SessionQuery { Patient = p, IncludeDerived = true }, Ct);
        Assert.Equal(all.Where(s => s.Patient == p).OrderByDescending(s => s.StartTime).ThenBy(s => s.Id.Value, StringComparer.Ordinal).Select(s => s.Id), withDerived.Sessions.Select(s => s.Id));
    }

    [Fact]
    public async Task PagingEverything_ReturnsEachSessionOnce_NewestFirst_AtUnderThreeReadsPerSession()
    {
        var (catalog, _, all) = await PopulateAsync();
        var expected = all.OrderByDescending(s => s.StartTime).ThenBy(s => s.Id.Value, StringComparer.Ordinal).Select(s => s.Id).ToList();

        var seen = new List<SessionId>();
        var reads = 0;
        string? cursor = null;
        do
        {
            var page = await catalog.QueryAsync(new SessionQuery { Limit = 25, Cursor = cursor, IncludeDerived = true }, Ct);
            seen.AddRange(page.Sessions.Select(s => s.Id));
            reads += page.EntitiesRead;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.InRange(reads, 2 * all.Count, 3 * all.Count); // each session row once; index rows once, plus the look-ahead of each page
    }

    [Fact]
    public async Task OldLayoutRows_AreMovedOver_AndStillListed()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var session = TestSessions.For(Eeg, January.AddDays(3)) with { SampleCount = 2500, Status = SessionStatus.Completed };
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - session.StartTime.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var rowKey in new[] { "id_" + session.Id.Value, $"t_{inverted}_{session.Id.Value}" })
        {
            // As the previous version wrote them: one partition, every property on both rows.
            await clients.SessionsTable.AddEntityAsync(new TableEntity("s", rowKey)
            {
                ["SessionId"] = session.Id.Value, ["Patient"] = session.Patient.Value, ["DeviceId"] = session.DeviceId, ["DeviceModel"] = session.DeviceModel,
                ["Modality"] = "EEG", ["Channels"] = System.Text.Json.JsonSerializer.Serialize(session.Channels, NeuraScale.Formats.SessionManifest.JsonOptions),
                ["SamplingRateHz"] = session.SamplingRateHz, ["StartTime"] = session.StartTime, ["SampleCount"] = 2500L, ["Status"] = "Completed",
                ["EventCount"] = 0, ["Derived"] = false,
            }, Ct);
        }

        Assert.Equal(1, await catalog.MigrateLegacyRowsAsync(Ct));
        Assert.Equal(0, await catalog.MigrateLegacyRowsAsync(Ct));

        Assert.Equal(2500, (await catalog.GetAsync(session.Id, Ct))!.SampleCount);
        Assert.Equal([session.Id], (await catalog.QueryAsync(new SessionQuery { Patient = session.Patient }, Ct)).Sessions.Select(s => s.Id));
        Assert.Equal([session.Id], (await catalog.QueryAsync(new SessionQuery(), Ct)).Sessions.Select(s => s.Id));
        var left = 0;
        await foreach (var _ in clients.SessionsTable.QueryAsync<TableEntity>(e => e.PartitionKey == "s", cancellationToken: Ct))
        {
            left++;
        }

        Assert.Equal(0, left);
    }
}

using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Processing;
using NeuraScale.Processing.Filtering;
using NeuraScale.Signals.Filters;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>Filtering into derived recordings on Azurite: cancellation, and completing an interrupted run.</summary>
public class SignalFilterServiceTests(AzuriteFixture azurite)
{
    private static readonly SimulatedAmplifier Amp = new(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = 250, Seed = 23 });

    [Fact]
    public async Task FilterAsync_CancelledMidway_StopsAndLeavesTheRecordingIncomplete_ARepeatCompletesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var catalog = new SessionCatalog(clients);
        var store = new SignalStore(clients);
        var ingest = new SessionIngestService(catalog, store);
        var session = await TestSessions.StoreAsync(ingest, catalog, Amp, 130, ct);
        var service = new SignalFilterService(new SignalWindowReader(store), new DerivedRecordingStore(catalog, store), TimeProvider.System);
        var job = new FilterJob(session, new FilterSpecification { Type = FilterType.BandPass, LowHz = 1, HighHz = 40 }, [0, 1, 2, 3], 0, session.SampleCount);

        // Cancel as soon as the first block has been filtered (130 s = three 60 s blocks, two passes).
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reports = new List<double>();
        var progress = new Inline(p =>
        {
            reports.Add(p);
            if (p > 0)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.FilterAsync(job, progress, cancel.Token));

        var id = SessionId.Derived(job.Recipe);
        var interrupted = await catalog.GetAsync(id, ct);
        Assert.Equal(SessionStatus.Recording, interrupted!.Status);
        Assert.True(reports.Max() < 1, "the work ran to the end despite the cancellation");

        var repeated = await service.FilterAsync(job, null, ct);
        Assert.False(repeated.Reused);
        Assert.Equal(id, repeated.Session.Id);
        Assert.Equal(SessionStatus.Completed, repeated.Session.Status);
        Assert.Equal(session.SampleCount, repeated.Session.SampleCount);
        Assert.Equal(Enumerable.Range(0, 130).Select(i => (long)i), await store.ListChunkSequencesAsync(id, ct));
        Assert.True((await service.FilterAsync(job, null, ct)).Reused);
    }

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

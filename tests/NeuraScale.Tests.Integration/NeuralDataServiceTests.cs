using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

public class NeuralDataServiceTests(AzuriteFixture azurite)
{
    private static readonly Caller Everyone = new("test", "test", new HashSet<string> { "admin" }, Permissions.All, null);

    private static readonly SimulatedAmplifier Amp = new(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 17 });

    [Fact]
    public async Task GetAsync_HeavyDownsamplingOfALongWindow_IsBoundedByValuesRead()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var catalog = new SessionCatalog(clients);
        var store = new SignalStore(clients);
        var ingest = new SessionIngestService(catalog, store);
        var session = await TestSessions.StoreAsync(ingest, catalog, Amp, 20, ct);

        // 10,000 values may be read: 1,250 per channel, less 2 × 100 samples of filter reach, over factor 10.
        var service = new NeuralDataService(catalog, new SignalBlockReader(new SignalWindowReader(store)), Options.Create(new NeuralDataOptions { MaxInlineValues = 100_000, MaxReadValues = 10_000 }));

        var result = await service.GetAsync(new NeuralDataRequest(session.Id.Value, null, 0, 20, 10, Everyone), ct);

        Assert.True(result.Truncated);
        Assert.Equal(105, result.NSamples);
        Assert.Equal(4.2, result.NextStartTimeS);
        var next = await service.GetAsync(new NeuralDataRequest(session.Id.Value, null, result.NextStartTimeS, 20, 10, Everyone), ct);
        Assert.Equal(4.2, next.StartTimeS);
    }
}

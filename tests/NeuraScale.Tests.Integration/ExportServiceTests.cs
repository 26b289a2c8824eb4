using NeuraScale.Domain;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The export service on Azurite: a cancelled export leaves no file behind; a bad request fails as an input error.</summary>
public sealed class ExportServiceTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CancelledHalfway_CommitsNoPartialFile()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var store = new SignalStore(clients);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 32, SamplingRateHz = 1000, Seed = 5 });
        var session = await TestSessions.StoreAsync(new SessionIngestService(catalog, store), catalog, amp, 130, Ct); // three 60 s blocks
        var service = new ExportService(catalog, new SignalBlockReader(new SignalWindowReader(store)), new ExportFileStore(clients));
        var request = new ExportRequest(session.Id.Value, ExportFormat.Csv, [.. Enumerable.Range(0, 32)], 0, session.SampleCount, 1);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CancelWhenPast(0.5, cancel); // inside the writing pass, after its first block
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.ExportAsync(request, "job_cancelled", progress, cancel.Token));

        await foreach (var blob in clients.ExportsContainer.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "job_cancelled/", Ct))
        {
            Assert.Equal(0, blob.Properties.ContentLength ?? 0);
        }
    }

    [Fact]
    public async Task RequestBeyondTheRecording_IsAnInputError()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var store = new SignalStore(clients);
        var session = await TestSessions.StoreAsync(new SessionIngestService(catalog, store), catalog, new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 2 }), 2, Ct);
        var service = new ExportService(catalog, new SignalBlockReader(new SignalWindowReader(store)), new ExportFileStore(clients));

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => service.ExportAsync(new ExportRequest(session.Id.Value, ExportFormat.Edf, [0, 5], 0, 10, 1), "job_bad", null, Ct));
        Assert.Contains("does not fit session", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CancelWhenPast(double threshold, CancellationTokenSource cancel) : IProgress<double>
    {
        public void Report(double value)
        {
            if (value > threshold)
            {
                cancel.Cancel();
            }
        }
    }
}

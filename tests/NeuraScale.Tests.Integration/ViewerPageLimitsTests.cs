using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Viewer;
using NeuraScale.Signals.Montages;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// A viewer page stays a size a browser takes in one message: a 64-channel 5 kHz recording on Azurite pages in 12 s
/// pages at most, and a longer one is refused with the length that would fit; the page at the limit is whole.
/// </summary>
public sealed class ViewerPageLimitsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task APageOverTheValueLimit_IsRefusedWithTheLengthThatFits()
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(ct);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 5000, Seed = 4, Speed = 10_000 });
        var session = await TestRecorder.RecordAsync(clients, amp, PatientPseudonym.New(), 20, ct);
        await using var services = TestServices.Application(storage, TimeProvider.System); // composed as the server composes them
        var service = services.GetRequiredService<ViewerPageService>();
        var caller = new Caller("key_test", "test", new HashSet<string> { "reader" }, new HashSet<string> { Permissions.NeuralDataRead }, null);

        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 0, 15, MontageKind.Referential, null, null, null, caller), ct));
        Assert.Equal("A page of 64 traces × 15 s at 5000 Hz is 4,800,000 values, more than the 4,000,000 one page carries; ask for page_seconds of at most 12.5.", refused.Message);

        var page = await service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 0, 12.5, MontageKind.Referential, 1, null, null, caller), ct);
        Assert.Equal(64, page.Traces.Count);
        Assert.All(page.Traces, t => Assert.Equal(62_500, t.Microvolts.Length));
    }
}

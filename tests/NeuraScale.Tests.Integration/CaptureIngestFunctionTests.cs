using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Jobs;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Streaming;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The Function app's Capture trigger, called as the Functions host would, over the services its Program registers.</summary>
public sealed class CaptureIngestFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public void Trigger_IsAnEventGridBlobTrigger_OnTheCaptureContainer()
    {
        var parameter = typeof(CaptureIngestFunction).GetMethod(nameof(CaptureIngestFunction.RunAsync))!.GetParameters()[0];
        var trigger = parameter.GetCustomAttribute<BlobTriggerAttribute>()!;
        Assert.Equal(BlobTriggerSource.EventGrid, trigger.Source); // Flex Consumption runs no polling blob trigger
        Assert.Equal(new StorageOptions().CaptureContainer + "/{name}", trigger.BlobPath);
        Assert.Equal("CaptureStorage", trigger.Connection);
        // The name the postdeploy hook's Event Grid webhook calls (functionName=Host.Functions.IngestCapture).
        Assert.Equal("IngestCapture", typeof(CaptureIngestFunction).GetMethod(nameof(CaptureIngestFunction.RunAsync))!.GetCustomAttribute<FunctionAttribute>()!.Name);
        Assert.Contains("functionName=Host.Functions.IngestCapture", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "hooks", "postdeploy.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACaptureFile_ThroughTheTrigger_BecomesASession()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(options).EnsureCreatedAsync(ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(options)).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNeuraScaleStorage(configuration).BuildServiceProvider();
        var session = new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = "relay-eeg", DeviceModel = "test", Modality = Modality.EEG,
            Channels = [new ChannelInfo("Cz", ChannelType.EEG, "uV")], SamplingRateHz = 100, StartTime = DateTimeOffset.UtcNow,
        };
        var file = CaptureFiles.Write([
            ChunkEvents.ForOpen(session),
            ChunkEvents.ForChunk(new SignalChunk(session.Id, 0, 0, 100, 1, Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), [])),
            ChunkEvents.ForClose(session.Id, SessionStatus.Completed, 100),
        ]);

        var function = new CaptureIngestFunction(provider.GetRequiredService<CaptureIngestService>(), NullLogger<CaptureIngestFunction>.Instance);
        await function.RunAsync(new MemoryStream(file), "ns/neural-chunks/0/2026/11/29/03/40/00.avro", ct);

        var stored = await provider.GetRequiredService<SessionCatalog>().GetAsync(session.Id, ct);
        Assert.Equal((100L, SessionStatus.Completed), (stored!.SampleCount, stored.Status));
    }
}

using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Jobs;
using NeuraScale.Processing;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The Function app's Queue trigger, called as the Functions host would, over the services its Program registers.</summary>
public sealed class JobQueueFunctionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Trigger_ListensOnTheJobsQueueTheServicesWriteTo()
    {
        var parameter = typeof(JobQueueFunction).GetMethod(nameof(JobQueueFunction.RunAsync))!.GetParameters()[0];
        var trigger = parameter.GetCustomAttribute<QueueTriggerAttribute>()!;
        Assert.Equal(new StorageOptions().JobsQueue, trigger.QueueName);
    }

    [Fact]
    public async Task QueuedExport_RunThroughTheTrigger_Succeeds()
    {
        var options = azurite.IsolatedOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(options)).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddNeuraScaleStorage(configuration).AddNeuraScaleJobs(configuration);
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<StorageClients>();
        await clients.EnsureCreatedAsync(Ct);
        var catalog = provider.GetRequiredService<SessionCatalog>();
        var session = await TestSessions.StoreAsync(provider.GetRequiredService<SessionIngestService>(), catalog, new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4 }), 5, Ct);
        var store = provider.GetRequiredService<JobStore>();
        var request = new ExportRequest(session.Id.Value, ExportFormat.Fif, [0, 1, 2, 3], 0, session.SampleCount, 1);
        var (job, _) = await store.CreateAsync(new JobRecord { Id = "job_triggertriggertrigge", Kind = ExportJobHandler.JobKind, Owner = "caller", Request = JsonSerializer.Serialize(request) }, Ct);

        var message = QueuesModelFactory.QueueMessage("1", "receipt", new BinaryData(JsonSerializer.Serialize(new JobMessage(job.Id, 1))), dequeueCount: 1);
        await new JobQueueFunction(provider.GetRequiredService<JobRunner>()).RunAsync(message, Ct);

        var done = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Succeeded, done.Status);
        var summary = JsonSerializer.Deserialize<ExportSummary>(done.Result!)!;
        var file = Assert.Single(summary.Files);
        Assert.True((await clients.ExportsContainer.GetBlobClient(file.BlobName).GetPropertiesAsync(cancellationToken: Ct)).Value.ContentLength == file.SizeBytes);
    }
}

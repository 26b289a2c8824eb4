using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuraScale.Storage;

namespace NeuraScale.Workflows.Hosting;

/// <summary>
/// The Durable Task backend without the Functions host: the Durable Task sidecar's gRPC server (from
/// Microsoft.DurableTask.InProcessTestHost), listening on a loopback port, over the Durable Task Azure Storage provider
/// on this deployment's storage account. The Durable Task worker and client of this process talk to it as they would to
/// any Durable Task backend. With a worker it dispatches orchestrations; without one it only serves the client.
/// </summary>
public sealed class DurableTaskSidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurableTaskSidecar(WebApplication app, Uri address, AzureStorageOrchestrationService service)
    {
        _app = app;
        Address = address;
        Service = service;
    }

    public Uri Address { get; }

    public AzureStorageOrchestrationService Service { get; }

    public static DurableTaskSidecar Create(StorageOptions storage, WorkflowOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        var provider = !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new StorageAccountClientProvider(storage.ConnectionString)
            : new StorageAccountClientProvider(storage.BlobServiceUri!, storage.QueueServiceUri!, storage.TableServiceUri!, StorageServiceCollectionExtensions.Credential(storage));
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = provider,
            TaskHubName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.TakeoverSeconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.TakeoverSeconds),
            LeaseInterval = TimeSpan.FromSeconds(options.TakeoverSeconds),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(2),
            LoggerFactory = loggers,
        });

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseUrls(address.ToString());
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = options.RunWorker ? TaskHubGrpcServerMode.ApiServerAndDispatcher : TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        return new DurableTaskSidecar(app, address, service);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Service.CreateIfNotExistsAsync().ConfigureAwait(false);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

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
public sealed partial class DurableTaskSidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurableTaskSidecar(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

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
        builder.Services.AddSingleton<IOrchestrationService>(new StopSafeOrchestrationService(service, loggers.CreateLogger<DurableTaskSidecar>()));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = options.RunWorker ? TaskHubGrpcServerMode.ApiServerAndDispatcher : TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        return new DurableTaskSidecar(app, address);
    }

    /// <summary>
    /// Starts listening. Storage is not touched here: the task hub is created when first used (the provider ensures it
    /// on every operation), so a server whose storage is briefly unreachable still starts and serves its other tools.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken) => await _app.StartAsync(cancellationToken).ConfigureAwait(false);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>
    /// The Azure Storage provider as the sidecar's dispatcher sees it. The sidecar starts and stops its dispatcher (and
    /// so the provider) from fire-and-forget lifetime callbacks, where an exception ends the process: so starting
    /// retries (with back-off, logged) until storage answers or the host stops, and stopping an unstarted provider —
    /// which throws a NullReferenceException — does nothing. Everything else is passed through.
    /// </summary>
    private sealed partial class StopSafeOrchestrationService(AzureStorageOrchestrationService inner, ILogger logger) : IOrchestrationService
    {
        private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

        public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

        public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

        public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

        public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

        public async Task StartAsync()
        {
            var delay = TimeSpan.FromSeconds(1);
            while (!_stopping.Task.IsCompleted)
            {
                try
                {
                    await inner.StartAsync().ConfigureAwait(false);
                    Interlocked.Exchange(ref _started, 1);
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    if (_stopping.Task.IsCompleted)
                    {
                        return; // the host stopped while starting (its loggers may be gone too)
                    }

                    try
                    {
                        LogStartFailed(logger, ex.GetType().Name, ex.Message, delay.TotalSeconds);
                    }
                    catch (ObjectDisposedException)
                    {
                        return; // the host is being torn down
                    }

                    await Task.WhenAny(Task.Delay(delay), _stopping.Task).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
                }
            }
        }

        public Task StopAsync() => StopAsync(false);

        public async Task StopAsync(bool isForced)
        {
            _stopping.TrySetResult();
            if (Interlocked.Exchange(ref _started, 0) == 1)
            {
                try
                {
                    await inner.StopAsync(isForced).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
                {
                    // Stopping as the process winds down: what the provider held expires with its leases.
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Protocol runs cannot start yet: the task hub's storage refused ({Error}: {Detail}); trying again in {Seconds} s.")]
        private static partial void LogStartFailed(ILogger logger, string error, string detail, double seconds);

        public Task CreateAsync() => inner.CreateAsync();

        public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

        public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

        public Task DeleteAsync() => inner.DeleteAsync();

        public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

        public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

        public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

        public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

        public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) => inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

        public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

        public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState) =>
            inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

        public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

        public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

        public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) => inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

        public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

        public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

        public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Workflows.Hosting;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Protocol runs without the Functions host: the Durable Task sidecar over the storage account (started first), a
    /// Durable Task client for the tools, and — with <see cref="WorkflowOptions.RunWorker"/> — a worker running the
    /// orchestrations and activities in this process. Settings are checked at start.
    /// </summary>
    public static IServiceCollection AddNeuraScaleWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowOptions>>(new ValidateWorkflowOptions());
        services.AddSingleton(sp => DurableTaskSidecar.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<WorkflowOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        // Registered before the worker's own hosted service, so the backend listens before the worker connects.
        services.AddHostedService<SidecarService>();
        services.AddDurableTaskClient(builder => builder.UseGrpc());
        services.AddSingleton<ProtocolRunService>();
        services.AddOptions<GrpcDurableTaskClientOptions>(Options.DefaultName).Configure<DurableTaskSidecar>((o, sidecar) => o.Address = sidecar.Address.ToString());
        if (configuration.GetSection(WorkflowOptions.SectionName).GetValue(nameof(WorkflowOptions.RunWorker), true))
        {
            services.AddDurableTaskWorker(builder =>
            {
                builder.AddTasks(registry => registry.AddProtocolRuns());
                builder.UseGrpc();
            });
            services.AddOptions<GrpcDurableTaskWorkerOptions>(Options.DefaultName).Configure<DurableTaskSidecar>((o, sidecar) => o.Address = sidecar.Address.ToString());
        }

        return services;
    }

    private sealed class SidecarService(DurableTaskSidecar sidecar) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => sidecar.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => sidecar.StopAsync(cancellationToken);
    }

    private sealed class ValidateWorkflowOptions : IValidateOptions<WorkflowOptions>
    {
        public ValidateOptionsResult Validate(string? name, WorkflowOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

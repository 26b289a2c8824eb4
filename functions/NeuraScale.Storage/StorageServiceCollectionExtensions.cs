using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Audit;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Devices;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Uploads;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.Keys;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.RateLimits;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Everything the functions use from the storage account: the catalog and signal store, the patient registry, jobs
    /// (table and queues), export files and download links, uploads for import, API keys and the audit log, and the storage health check.
    /// Options are validated at start-up; missing containers, tables and queues are created before the host serves.
    /// </summary>
    public static IServiceCollection AddNeuraScaleStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNeuraScaleSignalStorage(configuration);
        services.AddSingleton<ChunkCache>();
        services.AddSingleton(sp => new SignalWindowReader(sp.GetRequiredService<SignalStore>(), sp.GetRequiredService<ChunkCache>()));
        services.TryAddSingleton<Streaming.CaptureIngestService>();
        services.AddSingleton<PatientRegistry>();
        services.AddSingleton<ConsentRegistry>();
        services.AddSingleton<Scheduling.AppointmentBook>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueues>();
        services.AddSingleton<ExportFileStore>();
        services.AddSingleton<DownloadLinkIssuer>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RateCounterTable>();
        services.AddNeuraScaleControlPlaneStorage();
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<AuditReader>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    /// <summary>
    /// Only what writes recordings (the edge relay): the account, the session catalog, the signal store, chunk ingest
    /// (in order, and the streaming ingest's order-independent one) and file import.
    /// </summary>
    public static IServiceCollection AddNeuraScaleSignalStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(sp => CreateClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SessionCatalog>();
        services.TryAddSingleton<SignalStore>();
        services.TryAddSingleton<SessionIngestService>();
        services.TryAddSingleton<RecordingImporter>();
        services.TryAddSingleton<Streaming.StreamStore>();
        services.TryAddSingleton<Streaming.StreamIngestService>();
        services.TryAddSingleton<Streaming.ChunkClaimCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StorageInitializer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Catalog.CatalogMigration>());
        return services;
    }

    /// <summary>The device control plane's tables and queues, shared by the MCP server (tools) and the edge relay.</summary>
    public static IServiceCollection AddNeuraScaleControlPlaneStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<RelayRegistry>();
        services.TryAddSingleton<CommandStore>();
        services.TryAddSingleton<RelayQueues>();
        return services;
    }

    /// <summary>Base64 message bodies: what the Functions Queue trigger expects by default.</summary>
    private static QueueClientOptions QueueOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>The identity storage is reached with when no connection string is given (managed identity in Azure).</summary>
    public static TokenCredential Credential(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
    }

    /// <summary>Builds the three service clients from options: a connection string, or URIs with a token credential.</summary>
    public static StorageClients CreateClients(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new StorageClients(
                new BlobServiceClient(options.ConnectionString),
                new TableServiceClient(options.ConnectionString),
                new QueueServiceClient(options.ConnectionString, QueueOptions),
                options);
        }

        var credential = Credential(options);
        return new StorageClients(
            new BlobServiceClient(options.BlobServiceUri, credential),
            new TableServiceClient(options.TableServiceUri, credential),
            new QueueServiceClient(options.QueueServiceUri, credential, QueueOptions),
            options);
    }
}

/// <summary>
/// The three long-lived service clients of one storage account. Only Storage touches them: outside this assembly the
/// type is an opaque handle (and <see cref="EnsureCreatedAsync"/>), so every call to Azure goes through a store here.
/// </summary>
public sealed class StorageClients
{
    internal StorageClients(BlobServiceClient blobs, TableServiceClient tables, QueueServiceClient queues, StorageOptions options)
    {
        Blobs = blobs;
        Tables = tables;
        Queues = queues;
        Options = options;
    }

    internal BlobServiceClient Blobs { get; }

    internal TableServiceClient Tables { get; }

    internal QueueServiceClient Queues { get; }

    public StorageOptions Options { get; }

    internal BlobContainerClient SignalsContainer => Blobs.GetBlobContainerClient(Options.SignalsContainer);

    /// <summary>Private container of export files, reached only through short-lived SAS links.</summary>
    internal BlobContainerClient ExportsContainer => Blobs.GetBlobContainerClient(Options.ExportsContainer);

    /// <summary>Private container of files uploaded for import, reached from outside only through write-only SAS links.</summary>
    internal BlobContainerClient UploadsContainer => Blobs.GetBlobContainerClient(Options.UploadsContainer);

    internal BlobContainerClient CaptureContainer => Blobs.GetBlobContainerClient(Options.CaptureContainer);

    internal BlobContainerClient AuditContainer => Blobs.GetBlobContainerClient(Options.AuditContainer);

    internal TableClient SessionsTable => Tables.GetTableClient(Options.SessionsTable);

    internal TableClient PatientsTable => Tables.GetTableClient(Options.PatientsTable);

    internal TableClient ApiKeysTable => Tables.GetTableClient(Options.ApiKeysTable);

    internal TableClient JobsTable => Tables.GetTableClient(Options.JobsTable);

    internal TableClient RateLimitsTable => Tables.GetTableClient(Options.RateLimitsTable);

    internal TableClient RelaysTable => Tables.GetTableClient(Options.RelaysTable);

    internal TableClient DevicesTable => Tables.GetTableClient(Options.DevicesTable);

    internal TableClient CommandsTable => Tables.GetTableClient(Options.CommandsTable);

    internal TableClient AppointmentsTable => Tables.GetTableClient(Options.AppointmentsTable);

    internal QueueClient JobsQueue => Queues.GetQueueClient(Options.JobsQueue);

    /// <summary>Where jobs that failed for good are parked with their reason (the Functions host uses the same name).</summary>
    internal QueueClient JobsPoisonQueue => Queues.GetQueueClient(Options.JobsQueue + "-poison");

    /// <summary>Creates the containers and tables this code uses when they are missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await SignalsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await ExportsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await AuditContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await UploadsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await SessionsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await PatientsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await ApiKeysTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await JobsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await RateLimitsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await RelaysTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await DevicesTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await CommandsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await AppointmentsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await JobsQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await JobsPoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Creates missing containers and tables before the host starts serving, and fails start-up with advice when the
/// account cannot be reached, rather than letting the first request find out.
/// </summary>
internal sealed class StorageInitializer(StorageClients clients) : IHostedService
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!clients.Options.CreateIfMissing)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            await clients.EnsureCreatedAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Storage did not answer within {Deadline.TotalSeconds:0} s. Check Storage:ConnectionString (is Azurite running on those ports?) or the Storage:*ServiceUri settings.");
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            throw new InvalidOperationException($"Storage refused this identity ({ex.Status} {ex.ErrorCode}). In Azure, grant it Storage Blob Data Contributor, Storage Table Data Contributor and Storage Queue Data Contributor, or set Storage:CreateIfMissing=false where infra creates the containers.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

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
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.Patients;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage clients (singletons, as the Azure SDK recommends), the session catalog,
    /// the signal store and the patient registry, with options validated at start-up.
    /// </summary>
    public static IServiceCollection AddNeuraScaleStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddSingleton(sp => CreateClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<StorageClients>().Blobs);
        services.AddSingleton(sp => sp.GetRequiredService<StorageClients>().Tables);
        services.AddSingleton(sp => sp.GetRequiredService<StorageClients>().Queues);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionCatalog>();
        services.AddSingleton<SignalStore>();
        services.AddSingleton<SessionIngestService>();
        services.AddSingleton<SignalWindowReader>();
        services.AddSingleton<PatientRegistry>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueues>();
        services.AddSingleton<DownloadLinkIssuer>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>Base64 message bodies: what the Functions Queue trigger expects by default.</summary>
    private static QueueClientOptions QueueOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

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

        TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = options.ManagedIdentityClientId,
        });
        return new StorageClients(
            new BlobServiceClient(options.BlobServiceUri, credential),
            new TableServiceClient(options.TableServiceUri, credential),
            new QueueServiceClient(options.QueueServiceUri, credential, QueueOptions),
            options);
    }
}

/// <summary>The three long-lived service clients of one storage account.</summary>
public sealed record StorageClients(BlobServiceClient Blobs, TableServiceClient Tables, QueueServiceClient Queues, StorageOptions Options)
{
    public BlobContainerClient SignalsContainer => Blobs.GetBlobContainerClient(Options.SignalsContainer);

    /// <summary>Private container of export files, reached only through short-lived SAS links.</summary>
    public BlobContainerClient ExportsContainer => Blobs.GetBlobContainerClient(Options.ExportsContainer);

    public TableClient SessionsTable => Tables.GetTableClient(Options.SessionsTable);

    public TableClient PatientsTable => Tables.GetTableClient(Options.PatientsTable);

    public TableClient ApiKeysTable => Tables.GetTableClient(Options.ApiKeysTable);

    public TableClient JobsTable => Tables.GetTableClient(Options.JobsTable);

    public QueueClient JobsQueue => Queues.GetQueueClient(Options.JobsQueue);

    /// <summary>Where jobs that failed for good are parked with their reason (the Functions host uses the same name).</summary>
    public QueueClient JobsPoisonQueue => Queues.GetQueueClient(Options.JobsQueue + "-poison");

    /// <summary>Creates the containers and tables this code uses when they are missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await SignalsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await ExportsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await Blobs.GetBlobContainerClient(Options.AuditContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await SessionsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await PatientsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await ApiKeysTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await JobsTable.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
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

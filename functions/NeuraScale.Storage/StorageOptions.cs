using Microsoft.Extensions.Options;

namespace NeuraScale.Storage;

/// <summary>
/// Selects the storage account. Exactly one of: <see cref="ConnectionString"/> (Azurite locally), or the three
/// service URIs (Azure, authenticated with <c>DefaultAzureCredential</c>: managed identity in Azure, developer
/// credentials elsewhere). Bound from the <c>Storage</c> configuration section.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>A storage connection string, e.g. Azurite's. Leave empty in Azure.</summary>
    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for system-assigned or developer credentials.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Container holding session manifests and chunks.</summary>
    public string SignalsContainer { get; set; } = "signals";

    /// <summary>Table holding the session catalog.</summary>
    public string SessionsTable { get; set; } = "sessions";

    /// <summary>Table holding identifying patient data, apart from everything else.</summary>
    public string PatientsTable { get; set; } = "patients";

    /// <summary>Private container of export files (downloads via SAS only; a lifecycle rule deletes old ones in Azure).</summary>
    public string ExportsContainer { get; set; } = "exports";

    /// <summary>Private container of files uploaded for import (write-only SAS links; deleted once imported, a lifecycle rule removes the rest).</summary>
    public string UploadsContainer { get; set; } = "uploads";

    /// <summary>Container Event Hubs Capture writes its Avro files to (created by infra; the ingest reads it).</summary>
    public string CaptureContainer { get; set; } = "capture";

    /// <summary>Container of the append-only audit log (immutable in Azure).</summary>
    public string AuditContainer { get; set; } = "audit";

    /// <summary>Table holding API keys (salted hashes only).</summary>
    public string ApiKeysTable { get; set; } = "apikeys";

    /// <summary>Table holding job records (status, progress, result) so any instance can answer for any job.</summary>
    public string JobsTable { get; set; } = "jobs";

    /// <summary>Table of edge relays (one row per relay: identity, software, last heartbeat).</summary>
    public string RelaysTable { get; set; } = "relays";

    /// <summary>Table of the devices relays drive (one row per device: what it is, its state).</summary>
    public string DevicesTable { get; set; } = "devices";

    /// <summary>Table of device commands (one row per command: state, result, timestamps).</summary>
    public string CommandsTable { get; set; } = "commands";

    /// <summary>Table of recording appointments (one partition, so a booking checks and claims its slot in one transaction).</summary>
    public string AppointmentsTable { get; set; } = "appointments";

    /// <summary>Each relay reads commands from its own queue, this prefix followed by the relay id.</summary>
    public string RelayQueuePrefix { get; set; } = "relay-";

    /// <summary>Table of rate-limit counters shared by every instance (one row per caller, category and window).</summary>
    public string RateLimitsTable { get; set; } = "ratelimits";

    /// <summary>Queue of jobs to run; failed jobs land in "{JobsQueue}-poison" with the reason (the Functions host's poison queue name).</summary>
    public string JobsQueue { get; set; } = "jobs";

    /// <summary>
    /// Memory for verified chunks read recently (see <see cref="Signals.ChunkCache"/>), per process; 0 turns the cache
    /// off. 64 MB holds about 4 minutes of 64 ch × 1 kHz, or an hour of 19 ch × 250 Hz.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 4096)]
    public int ChunkCacheMegabytes { get; set; } = 64;

    /// <summary>
    /// How long this process trusts a finished session's catalog row it has read (see <see cref="Catalog.SessionRowCache"/>):
    /// the bound within which a change made to a completed or interrupted session by another instance is seen here.
    /// Recordings in progress are always read fresh. 0 turns the cache off.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 300)]
    public int SessionCacheSeconds { get; set; } = 5;

    /// <summary>Most finished sessions' rows kept per process (a few KB each).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int SessionCacheEntries { get; set; } = 4096;

    /// <summary>Create missing containers and tables at start-up (local and first deploy). Off where infra owns them.</summary>
    public bool CreateIfMissing { get; set; } = true;
}

/// <summary>Start-up validation: one account selector, not both, not neither.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var uris = new[] { options.BlobServiceUri, options.TableServiceUri, options.QueueServiceUri };
        var uriCount = uris.Count(u => u is not null);
        if (hasConnectionString && uriCount > 0)
        {
            return ValidateOptionsResult.Fail("Storage: set either Storage:ConnectionString (Azurite) or the Storage:*ServiceUri settings (Azure), not both.");
        }

        if (!hasConnectionString && uriCount != 3)
        {
            return ValidateOptionsResult.Fail("Storage: set Storage:ConnectionString (e.g. an Azurite connection string), or all of Storage:BlobServiceUri, Storage:TableServiceUri and Storage:QueueServiceUri for Azure with a managed identity.");
        }

        if (uris.Any(u => u is not null && !u.IsAbsoluteUri))
        {
            return ValidateOptionsResult.Fail("Storage: service URIs must be absolute, e.g. https://<account>.blob.core.windows.net.");
        }

        return ValidateOptionsResult.Success;
    }
}

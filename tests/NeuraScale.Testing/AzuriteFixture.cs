using NeuraScale.LocalHost;
using NeuraScale.Storage;
using Xunit;

namespace NeuraScale.Testing;

/// <summary>
/// One Azurite per test assembly, started by the fixture itself on free ports with a throw-away folder and stopped
/// at the end. Tests get isolated containers and tables from <see cref="CreateStorageAsync"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async ValueTask InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Options naming a fresh container and fresh tables, so tests never see each other's data.</summary>
    public StorageOptions IsolatedOptions()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new StorageOptions
        {
            ConnectionString = ConnectionString,
            SignalsContainer = "signals-" + suffix,
            SessionsTable = "sessions" + suffix,
            PatientsTable = "patients" + suffix,
            ApiKeysTable = "apikeys" + suffix,
            AuditContainer = "audit-" + suffix,
            ExportsContainer = "exports-" + suffix,
            UploadsContainer = "uploads-" + suffix,
            JobsTable = "jobs" + suffix,
            RateLimitsTable = "ratelimits" + suffix,
            RelaysTable = "relays" + suffix,
            DevicesTable = "devices" + suffix,
            CommandsTable = "commands" + suffix,
            AppointmentsTable = "appointments" + suffix,
            RelayQueuePrefix = "r" + suffix + "-",
            JobsQueue = "jobs-" + suffix,
        };
    }

    /// <summary>Clients for an isolated set of containers and tables, created.</summary>
    public async Task<StorageClients> CreateStorageAsync(CancellationToken cancellationToken = default)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(IsolatedOptions());
        await clients.EnsureCreatedAsync(cancellationToken);
        return clients;
    }

    /// <summary>The options as configuration keys, for hosts under test.</summary>
    public static Dictionary<string, string?> ToConfiguration(StorageOptions options) => new()
    {
        ["Storage:ConnectionString"] = options.ConnectionString,
        ["Storage:SignalsContainer"] = options.SignalsContainer,
        ["Storage:SessionsTable"] = options.SessionsTable,
        ["Storage:PatientsTable"] = options.PatientsTable,
        ["Storage:ApiKeysTable"] = options.ApiKeysTable,
        ["Storage:AuditContainer"] = options.AuditContainer,
        ["Storage:ExportsContainer"] = options.ExportsContainer,
        ["Storage:UploadsContainer"] = options.UploadsContainer,
        ["Storage:JobsTable"] = options.JobsTable,
        ["Storage:RateLimitsTable"] = options.RateLimitsTable,
        ["Storage:RelaysTable"] = options.RelaysTable,
        ["Storage:DevicesTable"] = options.DevicesTable,
        ["Storage:CommandsTable"] = options.CommandsTable,
        ["Storage:AppointmentsTable"] = options.AppointmentsTable,
        ["Storage:RelayQueuePrefix"] = options.RelayQueuePrefix,
        ["Storage:JobsQueue"] = options.JobsQueue,
        ["Audit:ArgumentHashKey"] = TestAuditKey,
    };

    /// <summary>Tests run as production does (not Development), so they need an audit key of their own.</summary>
    public const string TestAuditKey = "neurascale-tests-audit-argument-hash-key";

    /// <summary>The options as NEURASCALE_-prefixed environment variables, for programs under test.</summary>
    public static Dictionary<string, string?> ToEnvironment(StorageOptions options) =>
        ToConfiguration(options).ToDictionary(kv => "NEURASCALE_" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
}

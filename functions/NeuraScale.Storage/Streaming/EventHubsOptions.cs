using Azure.Core;
using Azure.Identity;

namespace NeuraScale.Storage.Streaming;

/// <summary>
/// Where and how the relay sends to Event Hubs. Section <c>EventHubs</c>. Without a connection string the relay
/// authenticates with Entra ID: a certificate of an app registration (<see cref="TenantId"/>, <see cref="ClientId"/>,
/// <see cref="CertificatePath"/>) for an on-prem machine, else <c>DefaultAzureCredential</c> (workload identity, Arc
/// managed identity, a developer's sign-in). A send-only SAS connection string is the documented fallback.
/// </summary>
public sealed class EventHubsOptions
{
    public const string SectionName = "EventHubs";

    /// <summary><c>&lt;namespace&gt;.servicebus.windows.net</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    public string EventHubName { get; set; } = "neural-chunks";

    /// <summary>A send-only SAS policy's connection string (fallback); leave empty to use Entra ID.</summary>
    public string? ConnectionString { get; set; }

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>PEM or PFX file of the app registration's certificate (with its private key).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>
    /// Also store what the hub acknowledged straight into storage, through the same order-independent ingest as
    /// Capture: a recording is listed and readable while it records, instead of a Capture window (a minute or more)
    /// later. The Capture ingest then finds every chunk already stored. Off: storage sees the data only through Capture.
    /// </summary>
    public bool LiveMirror { get; set; } = true;

    /// <summary>
    /// A chunk larger than one event (e.g. a second of 64 channels at 5 kHz, 1.28 MB, on a hub taking 1 MB) is stored in
    /// the signals container by the relay and sent as a reference the ingest resolves (the claim-check pattern). Off:
    /// such a chunk is refused with what to do and stays spooled; the relay then needs no Blob access for the data path.
    /// </summary>
    public bool ClaimCheck { get; set; } = true;

    /// <summary>
    /// AMQP over WebSockets on port 443 instead of AMQP on 5671: for hospital networks that open only HTTPS outbound.
    /// </summary>
    public bool UseWebSockets { get; set; }

    /// <summary>Tries per send by the SDK (exponential back-off) before the relay's own retry takes over; the spool keeps the data either way.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The relay's Entra identity: the app registration's certificate when given, else <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential Credential() =>
        !string.IsNullOrWhiteSpace(CertificatePath)
            ? new ClientCertificateCredential(TenantId, ClientId, CertificatePath)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });

    /// <summary>What is wrong with these settings, for a one-line start-up error; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(FullyQualifiedNamespace))
        {
            problems.Add("EventHubs:FullyQualifiedNamespace (e.g. myhub.servicebus.windows.net) or EventHubs:ConnectionString is required when the sink is EventHubs.");
        }

        if (string.IsNullOrWhiteSpace(EventHubName))
        {
            problems.Add("EventHubs:EventHubName is required.");
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && (string.IsNullOrWhiteSpace(TenantId) || string.IsNullOrWhiteSpace(ClientId)))
        {
            problems.Add("EventHubs:CertificatePath needs EventHubs:TenantId and EventHubs:ClientId (the app registration the certificate belongs to).");
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            problems.Add($"EventHubs:CertificatePath '{CertificatePath}' does not exist.");
        }

        if (MaxRetries is < 0 or > 20)
        {
            problems.Add($"EventHubs:MaxRetries must be 0–20; got {MaxRetries}.");
        }

        return problems;
    }
}

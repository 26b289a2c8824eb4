using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace NeuraScale.Storage;

/// <summary>
/// Signs a SAS for one blob. With an account key (Azurite's connection string) it signs a service SAS; with a token
/// credential (Azure, managed identity) a <b>user-delegation SAS</b> from a delegation key, so no account key exists
/// anywhere. Links start 5 minutes back (clock skew) and are HTTPS-only wherever the account speaks HTTPS.
/// </summary>
internal static class BlobSas
{
    /// <summary>Longest validity: a user-delegation key lives at most 7 days.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(7);

    public static async Task<Uri> SignAsync(StorageClients clients, BlobClient blob, BlobSasPermissions permissions, DateTimeOffset now, DateTimeOffset expires, string? contentDisposition, CancellationToken cancellationToken)
    {
        var sas = new BlobSasBuilder(permissions, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now.AddMinutes(-5),
            ContentDisposition = contentDisposition,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await clients.Blobs.GetUserDelegationKeyAsync(sas.StartsOn, expires, cancellationToken).ConfigureAwait(false);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, clients.Blobs.AccountName) }.ToUri();
    }
}

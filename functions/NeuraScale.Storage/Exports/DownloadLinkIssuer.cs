using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace NeuraScale.Storage.Exports;

/// <summary>A read-only link to one export blob, valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record DownloadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues read-only SAS links to single blobs of the exports container. With an account key (Azurite's connection
/// string) it signs a service SAS; with a token credential (Azure, managed identity) it signs a <b>user-delegation
/// SAS</b> from a delegation key, so no account key exists anywhere. Links carry the download file name
/// (Content-Disposition), start 5 minutes back (clock skew) and are HTTPS-only in Azure.
/// </summary>
public sealed class DownloadLinkIssuer(StorageClients clients, TimeProvider time)
{
    /// <summary>Longest validity a link may have: a user-delegation key lives at most 7 days.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(7);

    /// <param name="blobName">Blob in the exports container.</param>
    /// <param name="fileName">File name the browser saves it as.</param>
    /// <param name="validity">How long the link works, up to <see cref="MaxValidity"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The validity is not positive or exceeds the maximum.</exception>
    public async Task<DownloadLink> IssueAsync(string blobName, string fileName, TimeSpan validity, CancellationToken cancellationToken = default)
    {
        if (validity <= TimeSpan.Zero || validity > MaxValidity)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, $"A download link is valid for more than 0 and at most {MaxValidity.TotalHours:0} hours.");
        }

        var blob = clients.ExportsContainer.GetBlobClient(blobName);
        var now = time.GetUtcNow();
        var expires = now + validity;
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now.AddMinutes(-5),
            ContentDisposition = $"attachment; filename=\"{fileName.Replace("\"", "", StringComparison.Ordinal)}\"",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return new DownloadLink(blob.GenerateSasUri(sas), expires);
        }

        var key = await clients.Blobs.GetUserDelegationKeyAsync(sas.StartsOn, expires, cancellationToken).ConfigureAwait(false);
        var uri = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, clients.Blobs.AccountName) };
        return new DownloadLink(uri.ToUri(), expires);
    }
}

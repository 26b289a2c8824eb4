using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace NeuraScale.Storage.Exports;

/// <summary>A read-only link to one export blob, valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record DownloadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues read-only SAS links (<see cref="BlobSas"/>: user-delegation in Azure) to single blobs of the exports
/// container. Links carry the download file name (Content-Disposition).
/// </summary>
public sealed class DownloadLinkIssuer(StorageClients clients, TimeProvider time)
{
    /// <summary>Longest validity a link may have: a user-delegation key lives at most 7 days.</summary>
    public static readonly TimeSpan MaxValidity = BlobSas.MaxValidity;

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
        var disposition = $"attachment; filename=\"{fileName.Replace("\"", "", StringComparison.Ordinal)}\"";
        var url = await BlobSas.SignAsync(clients, blob, BlobSasPermissions.Read, now, expires, disposition, cancellationToken).ConfigureAwait(false);
        return new DownloadLink(url, expires);
    }
}

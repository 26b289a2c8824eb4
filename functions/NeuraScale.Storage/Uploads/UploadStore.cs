using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace NeuraScale.Storage.Uploads;

/// <summary>A write-only link to one blob of the uploads container, valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record UploadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// The private uploads container: files a user sends for import arrive here through a write-only SAS link (the server
/// never sees the bytes in transit), are read once by the import and then deleted. A lifecycle rule removes uploads
/// nobody imported.
/// </summary>
public sealed class UploadStore(StorageClients clients, TimeProvider time)
{
    /// <summary>A link that may create or overwrite <paramref name="blobName"/> and nothing else (no read, no list).</summary>
    public async Task<UploadLink> IssueUploadLinkAsync(string blobName, TimeSpan validity, CancellationToken cancellationToken = default)
    {
        if (validity <= TimeSpan.Zero || validity > BlobSas.MaxValidity)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, $"An upload link is valid for more than 0 and at most {BlobSas.MaxValidity.TotalHours:0} hours.");
        }

        var now = time.GetUtcNow();
        var expires = now + validity;
        var blob = clients.UploadsContainer.GetBlobClient(blobName);
        var url = await BlobSas.SignAsync(clients, blob, BlobSasPermissions.Create | BlobSasPermissions.Write, now, expires, contentDisposition: null, cancellationToken).ConfigureAwait(false);
        return new UploadLink(url, expires);
    }

    /// <summary>The uploaded file's size in bytes, or null when nothing was uploaded under that name.</summary>
    public async Task<long?> SizeAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await clients.UploadsContainer.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.Value.ContentLength;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Copies the uploaded file into <paramref name="destination"/> (parallel ranged reads); false when there is none.</summary>
    public async Task<bool> DownloadToAsync(string blobName, Stream destination, CancellationToken cancellationToken = default)
    {
        try
        {
            await clients.UploadsContainer.GetBlobClient(blobName).DownloadToAsync(destination, new BlobDownloadToOptions(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Deletes an upload once it was imported (harmless when it is already gone).</summary>
    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken = default) =>
        await clients.UploadsContainer.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}

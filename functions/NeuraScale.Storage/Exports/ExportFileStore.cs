using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace NeuraScale.Storage.Exports;

/// <summary>A file written to the exports container: its size and SHA-256 (hex), computed on the way up.</summary>
public sealed record UploadedFile(string BlobName, long SizeBytes, string Sha256);

/// <summary>
/// The private exports container: files are streamed straight into a block-blob upload (hashing on the way) and read
/// only through download links. A file exists only once it was written completely.
/// </summary>
public sealed class ExportFileStore(StorageClients clients)
{
    private const int UploadBufferBytes = 8 << 20;

    /// <summary>
    /// Streams a file into <paramref name="blobName"/>: <paramref name="write"/> gets a write-only stream. The blob is
    /// committed only after <paramref name="write"/> completed; a failed or cancelled write leaves no file (its staged
    /// blocks stay uncommitted and are discarded by the service). Flushes from writers never commit part of a file.
    /// </summary>
    public async Task<UploadedFile> UploadAsync(string blobName, string contentType, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var blob = clients.ExportsContainer.GetBlockBlobClient(blobName);
        var options = new BlockBlobOpenWriteOptions
        {
            BufferSize = UploadBufferBytes,
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        };

        // Disposing the upload stream commits the blob, so it is disposed only after a complete write.
        var upload = await blob.OpenWriteAsync(overwrite: true, options, cancellationToken).ConfigureAwait(false);
        using var hashing = new HashingStream(upload);
        await write(hashing).ConfigureAwait(false);
        var size = hashing.Length;
        var sha256 = hashing.Sha256();
        await upload.DisposeAsync().ConfigureAwait(false);
        return new UploadedFile(blobName, size, sha256);
    }

    /// <summary>Whether an export file is still there (the lifecycle rule deletes old ones).</summary>
    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken = default) =>
        (await clients.ExportsContainer.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Deletes every file under <paramref name="folder"/> (a job's files); returns how many there were.</summary>
    public async Task<int> DeleteFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        await foreach (var item in clients.ExportsContainer.GetBlobsAsync(new GetBlobsOptions { Prefix = folder.TrimEnd('/') + "/" }, cancellationToken).ConfigureAwait(false))
        {
            if ((await clients.ExportsContainer.DeleteBlobIfExistsAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false)).Value)
            {
                deleted++;
            }
        }

        return deleted;
    }
}

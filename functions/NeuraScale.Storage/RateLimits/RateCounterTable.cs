using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace NeuraScale.Storage.RateLimits;

/// <summary>A bucket's counts in the previous and the current window, and the current row's ETag (null when it does not exist yet).</summary>
public readonly record struct RateCounts(int Previous, int Current, ETag? CurrentETag);

/// <summary>
/// Rate-limit counters shared by every instance, in the <c>ratelimits</c> table: one row per (bucket, window), the
/// bucket (a caller and a category) as partition, so one query reads both windows and each caller's rows live
/// together. Increments are conditional on the ETag read (insert-if-absent for a new window), so two instances never
/// both take the last permit.
/// </summary>
public sealed class RateCounterTable(StorageClients clients)
{
    private const string CountProperty = "Count";

    private TableClient Table => clients.RateLimitsTable;

    /// <summary>Reads the previous and current window of a bucket in one query.</summary>
    public async Task<RateCounts> ReadAsync(string bucket, long window, CancellationToken cancellationToken)
    {
        var partition = PartitionKey(bucket);
        string current = RowKey(window), previous = RowKey(window - 1);
        int previousCount = 0, currentCount = 0;
        ETag? etag = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and (RowKey eq {previous} or RowKey eq {current})");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var count = row.GetInt32(CountProperty) ?? 0;
            if (row.RowKey == current)
            {
                currentCount = count;
                etag = row.ETag;
            }
            else
            {
                previousCount = count;
            }
        }

        return new RateCounts(previousCount, currentCount, etag);
    }

    /// <summary>Writes the current window's new count if nobody changed it since it was read; false when someone did.</summary>
    public async Task<bool> TryWriteAsync(string bucket, long window, int count, ETag? readETag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionKey(bucket), RowKey(window)) { [CountProperty] = count };
        try
        {
            if (readETag is { } etag)
            {
                await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes rows last written before <paramref name="cutoff"/> (housekeeping; counters matter for two windows only).</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"Timestamp lt {cutoff}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another sweep got there first.
            }
        }

        return deleted;
    }

    /// <summary>
    /// Caller ids may hold characters a partition key may not (/, \, #, ?) and be long (a token subject): such ids are
    /// replaced by their SHA-256, so the bucket stays one caller's and never collides with another.
    /// </summary>
    private static string PartitionKey(string bucket) =>
        bucket.Length <= 200 && bucket.All(c => c is not ('/' or '\\' or '#' or '?') && !char.IsControl(c))
            ? bucket
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bucket)));

    private static string RowKey(long window) => window.ToString("D13", CultureInfo.InvariantCulture);
}

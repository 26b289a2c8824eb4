using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NeuraScale.Storage;

/// <summary>Reports the storage account as unhealthy when the session catalog cannot be reached (no data, no credential in the answer).</summary>
internal sealed class StorageHealthCheck(StorageClients clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in clients.SessionsTable.QueryAsync<TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("Session catalog unreachable.");
        }
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuraScale.Storage.Catalog;

/// <summary>
/// Once the host has started, moves sessions catalogued by earlier versions into the current layout
/// (<see cref="SessionCatalog.MigrateLegacyRowsAsync"/>), so a store from before keeps its recordings listed. In the
/// background: start-up never waits for it or fails by it (storage may not answer yet); a failure is logged and the
/// next start tries again. One query when there is nothing to move.
/// </summary>
internal sealed partial class CatalogMigration(SessionCatalog catalog, ILogger<CatalogMigration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var moved = await catalog.MigrateLegacyRowsAsync(stoppingToken).ConfigureAwait(false);
            if (moved > 0)
            {
                LogMoved(logger, moved);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} session(s) from the old catalog layout into the current one.")]
    private static partial void LogMoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sessions in the old catalog layout could not be moved ({Error}: {Detail}); they stay unlisted until the next start tries again.")]
    private static partial void LogFailed(ILogger logger, string error, string detail);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuraScale.Storage.Catalog;

/// <summary>
/// At start-up (after the storage initializer), moves sessions catalogued by earlier versions into the current layout
/// (<see cref="SessionCatalog.MigrateLegacyRowsAsync"/>), so a local store from before keeps its recordings listed.
/// One query when there is nothing to move.
/// </summary>
internal sealed partial class CatalogMigration(SessionCatalog catalog, ILogger<CatalogMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var moved = await catalog.MigrateLegacyRowsAsync(cancellationToken).ConfigureAwait(false);
        if (moved > 0)
        {
            LogMoved(logger, moved);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} session(s) from the old catalog layout into the current one.")]
    private static partial void LogMoved(ILogger logger, int count);
}

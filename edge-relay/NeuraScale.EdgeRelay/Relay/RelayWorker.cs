using Microsoft.Extensions.Hosting;

namespace NeuraScale.EdgeRelay.Relay;

/// <summary>Runs the relay for one session, then asks the host to stop (the CLI exits when the recording ends).</summary>
public sealed class RelayWorker(RecordingRelay relay, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and other hosted services, e.g. storage initialisation) before recording.
        await Task.Yield();
        await relay.RunAsync(stoppingToken).ConfigureAwait(false);
        lifetime.StopApplication();
    }
}

using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Devices;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>
/// Registers the relay, its command queue and its devices when it starts, then heartbeats every
/// <see cref="ControlOptions.HeartbeatSeconds"/>: last seen, software version, this run's instance id, and the state of
/// each device. Outbound calls only; a failed beat is logged and the next one tries again.
/// </summary>
public sealed partial class RelayPresence(
    RelayRegistry registry,
    RelayQueues queues,
    DeviceFleet fleet,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILogger<RelayPresence> logger) : BackgroundService
{
    /// <summary>This run of the relay: commands found running under another instance were interrupted by a restart.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registration happens before the host reports started, so a relay that cannot reach storage fails at once.
        await queues.CreateAsync(options.Value.RelayId, cancellationToken).ConfigureAwait(false);
        await BeatAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the relay's and every device's current state (also called after each command changes one).</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var relay = options.Value;
        var (depth, lag) = SpoolHealth(now);
        await registry.UpsertRelayAsync(new RelayRecord(relay.RelayId, relay.Name ?? relay.RelayId, Version, InstanceId, _startedAt, now, relay.HeartbeatSeconds, depth, lag), cancellationToken).ConfigureAwait(false);
        foreach (var device in fleet.All)
        {
            await PublishAsync(device, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Chunks waiting in the devices' spools for storage, and the age of the oldest (seconds): a growing depth or lag
    /// means the relay records faster than it can deliver — storage unreachable or the uplink too slow.
    /// </summary>
    private (int Depth, double LagSeconds) SpoolHealth(DateTimeOffset now)
    {
        var depth = 0;
        DateTimeOffset? oldest = null;
        foreach (var device in fleet.All)
        {
            var folder = Path.Combine(options.Value.SpoolDirectory, device.Id);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var spool = new NeuraScale.EdgeRelay.Spool.DiskSpool(folder);
            depth += spool.PendingSequences().Count;
            if (spool.OldestPendingSince() is { } since && (oldest is null || since < oldest))
            {
                oldest = since;
            }
        }

        return (depth, oldest is { } o ? Math.Round(Math.Max(0, (now - o).TotalSeconds), 1) : 0);
    }

    /// <summary>One device's state as the tools see it.</summary>
    public Task PublishAsync(ControlledDevice device, CancellationToken cancellationToken)
    {
        var d = device.Driver.Device;
        return registry.UpsertDeviceAsync(new DeviceRecord(
            d.Id, options.Value.RelayId, d.Model, d.Modality.ToString().ToLowerInvariant(), device.DriverName, d.FirmwareVersion,
            d.Channels.Count, d.SamplingRateHz, device.State, device.SessionId, device.Driver.ReadDiagnostics().BatteryPercent, time.GetUtcNow()), cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBeatFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
    }

    private static string Version => typeof(RelayPresence).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Error}: {Detail}); trying again at the next beat.")]
    private static partial void LogBeatFailed(ILogger logger, string error, string detail);
}

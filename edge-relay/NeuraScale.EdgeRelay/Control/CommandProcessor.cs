using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Devices;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>
/// Reads this relay's command queue (outbound polling) and runs each command once: it is claimed in the commands table
/// first (queued → running, conditional), so a message delivered twice has one effect; an expired command is marked
/// expired and never run; a command left running by an earlier run of this relay is reported as interrupted. The
/// outcome (result or error) is written back, the device's new state published, and only then the message deleted.
/// </summary>
public sealed partial class CommandProcessor(
    RelayQueues queues,
    CommandStore commands,
    DeviceFleet fleet,
    DeviceRecordings recordings,
    RelayPresence presence,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILogger<CommandProcessor> logger) : BackgroundService
{
    /// <summary>Longer than any command takes: a message is redelivered only if this relay died holding it.</summary>
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var relayId = options.Value.RelayId;
        await recordings.ResumeAsync(fleet, stoppingToken).ConfigureAwait(false);
        // Storage Queues cannot push: poll every 50 ms just after work (the next command of a sequence is likely
        // near), backing off by doubling to PollSeconds when idle.
        var idle = TimeSpan.FromSeconds(Math.Min(0.05, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<QueuedCommand> messages;
            try
            {
                messages = await queues.ReceiveAsync(relayId, 16, Visibility, stoppingToken).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    await HandleAsync(message, stoppingToken).ConfigureAwait(false);
                    await queues.DeleteAsync(relayId, message, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage (or the credential for it) failing must not stop the relay: log, wait, poll again.
                LogPollFailed(logger, ex.Message);
                messages = [];
            }

            if (messages.Count > 0)
            {
                idle = TimeSpan.FromSeconds(Math.Min(0.05, options.Value.PollSeconds));
                continue;
            }

            await Task.Delay(idle, time, stoppingToken).ConfigureAwait(false);
            idle = TimeSpan.FromSeconds(Math.Min(idle.TotalSeconds * 2, options.Value.PollSeconds));
        }
    }

    /// <summary>Runs one delivered command if it is this delivery's to run; otherwise settles what it finds.</summary>
    public async Task HandleAsync(QueuedCommand message, CancellationToken cancellationToken)
    {
        var (command, claimed) = await commands.TryClaimAsync(message.CommandId, presence.InstanceId, cancellationToken).ConfigureAwait(false);
        if (command is null || !claimed)
        {
            if (command is { State: CommandStates.Running } stale && stale.RunBy != presence.InstanceId)
            {
                await commands.CompleteAsync(stale, CommandStates.Failed, null, "The relay restarted while running this command; its effect is unknown. Check the device's state (list_devices) and send it again if needed.", cancellationToken).ConfigureAwait(false);
            }
            else if (command is { State: CommandStates.Running } unrecorded && message.DequeueCount > 1)
            {
                // Redelivered to the instance that ran it: it ran, but its outcome could not be written.
                await commands.CompleteAsync(unrecorded, CommandStates.Failed, null, "The relay ran this command but could not record its outcome; its effect is unknown. Check the device's state (list_devices) and send it again if needed.", cancellationToken).ConfigureAwait(false);
            }

            return; // gone, finished, expired, or being run by this instance already
        }

        var device = fleet.Find(command.DeviceId);
        try
        {
            var result = device is null
                ? throw new DeviceCommandException($"Relay {command.RelayId} does not drive a device '{command.DeviceId}' (any more).")
                : await ExecuteAsync(device, command, cancellationToken).ConfigureAwait(false);
            await commands.CompleteAsync(command, CommandStates.Succeeded, result.ToJsonString(), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DeviceCommandException ex)
        {
            await commands.CompleteAsync(command, CommandStates.Failed, null, ex.Message, CancellationToken.None).ConfigureAwait(false);
        }

        if (device is not null)
        {
            await presence.PublishAsync(device, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject> ExecuteAsync(ControlledDevice device, CommandRecord command, CancellationToken cancellationToken) => command.Kind switch
    {
        "connect" => device.Connect(),
        "disconnect" => device.Disconnect(),
        "get_diagnostics" => device.Diagnostics(),
        "check_impedance" => device.CheckImpedance(),
        "start_recording" => await recordings.StartAsync(device, command.Arguments, cancellationToken).ConfigureAwait(false),
        "stop_recording" => await recordings.StopAsync(device, cancellationToken).ConfigureAwait(false),
        "insert_marker" => await recordings.MarkAsync(device, command.Arguments, cancellationToken).ConfigureAwait(false),
        _ => throw new DeviceCommandException($"This relay does not know the command '{command.Kind}'; it may be older than the server. Update the relay."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the command queue failed ({Detail}); trying again.")]
    private static partial void LogPollFailed(ILogger logger, string detail);
}

using System.Text.Json;
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
/// Commands run one at a time in arrival order, except monitor_signal_quality, which watches the signal for seconds and
/// so runs beside the others (a marker or a stop must not wait for it).
/// </summary>
public sealed partial class CommandProcessor(
    RelayQueues queues,
    CommandStore commands,
    DeviceFleet fleet,
    DeviceRecordings recordings,
    SignalMonitor monitor,
    DeviceSettingsStore settings,
    RelayPresence presence,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILogger<CommandProcessor> logger) : BackgroundService
{
    /// <summary>Longer than any command takes: a message is redelivered only if this relay died holding it.</summary>
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _watching = new();

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
                    if (await HandleAsync(message, stoppingToken).ConfigureAwait(false) is { } running)
                    {
                        Watch(running, relayId, message, stoppingToken);
                        continue;
                    }

                    await queues.DeleteAsync(relayId, message, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
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

            try
            {
                await Task.Delay(idle, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            idle = TimeSpan.FromSeconds(Math.Min(idle.TotalSeconds * 2, options.Value.PollSeconds));
        }

        // Monitors still watching were cancelled with the relay; their commands stay "running" and are reported as
        // interrupted when the relay is back.
        await Task.WhenAll(_watching.Keys).ConfigureAwait(false);
    }

    /// <summary>Deletes a long command's message once it has finished (a relay that dies first gets it redelivered).</summary>
    private void Watch(Task running, string relayId, QueuedCommand message, CancellationToken stoppingToken)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await running.ConfigureAwait(false);
                await queues.DeleteAsync(relayId, message, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, ex.Message);
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
        }, CancellationToken.None);
        _watching[task] = 0;
        _ = task.ContinueWith(t => _watching.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>
    /// Runs one delivered command if it is this delivery's to run; otherwise settles what it finds. Returns null when the
    /// command is settled, or the task of a long command still running.
    /// </summary>
    public async Task<Task?> HandleAsync(QueuedCommand message, CancellationToken cancellationToken)
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

            return null; // gone, finished, expired, or being run by this instance already
        }

        var device = fleet.Find(command.DeviceId);
        if (device is not null && command.Kind == "monitor_signal_quality")
        {
            return RunAsync(device, command, cancellationToken);
        }

        await RunAsync(device, command, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task RunAsync(ControlledDevice? device, CommandRecord command, CancellationToken cancellationToken)
    {
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
        catch (JsonException)
        {
            await commands.CompleteAsync(command, CommandStates.Failed, null, $"The arguments of this {command.Kind} command are not valid JSON; send it again.", CancellationToken.None).ConfigureAwait(false);
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
        "configure" => Configure(device, command.Arguments),
        "monitor_signal_quality" => await monitor.MonitorAsync(device, command.Arguments, cancellationToken).ConfigureAwait(false),
        "check_impedance" => device.CheckImpedance(),
        "start_recording" => await recordings.StartAsync(device, command.Arguments, cancellationToken).ConfigureAwait(false),
        "stop_recording" => await recordings.StopAsync(device, cancellationToken).ConfigureAwait(false),
        "insert_marker" => await recordings.MarkAsync(device, command.Arguments, cancellationToken).ConfigureAwait(false),
        _ => throw new DeviceCommandException($"This relay does not know the command '{command.Kind}'; it may be older than the server. Update the relay."),
    };

    private JsonObject Configure(ControlledDevice device, string argumentsJson)
    {
        var outcome = device.Configure(DeviceConfiguration.Parse(argumentsJson));
        if (outcome.Applied.Count > 0)
        {
            settings.Save(device.Id, outcome.Settings);
        }

        return DeviceConfiguration.Describe(device.Id, device.State, outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the command queue failed ({Detail}); trying again.")]
    private static partial void LogPollFailed(ILogger logger, string detail);
}

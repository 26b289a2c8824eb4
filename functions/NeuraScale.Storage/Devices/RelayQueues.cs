using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace NeuraScale.Storage.Devices;

/// <summary>A command waiting in a relay's queue: the command id, and the message handle to delete it with.</summary>
public sealed record QueuedCommand(string CommandId, string MessageId, string PopReceipt, long DequeueCount);

/// <summary>
/// One Storage Queue per relay, <c>{prefix}{relay id}</c>: tools put command ids on it, and only that relay reads it,
/// polling outbound over HTTPS (no inbound port at the hospital). A message lives no longer than its command's expiry.
/// </summary>
public sealed class RelayQueues(StorageClients clients)
{
    /// <summary>Creates the relay's queue if missing (the relay does this when it registers).</summary>
    public Task CreateAsync(string relayId, CancellationToken cancellationToken = default) =>
        Queue(relayId).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public Task SendAsync(string relayId, string commandId, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        Queue(relayId).SendMessageAsync(commandId, visibilityTimeout: null, timeToLive: timeToLive < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeToLive, cancellationToken);

    /// <summary>Up to <paramref name="max"/> waiting commands, hidden from other readers for <paramref name="visibility"/>.</summary>
    public async Task<IReadOnlyList<QueuedCommand>> ReceiveAsync(string relayId, int max, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = await Queue(relayId).ReceiveMessagesAsync(max, visibility, cancellationToken).ConfigureAwait(false);
        return messages.Select(m => new QueuedCommand(m.MessageText, m.MessageId, m.PopReceipt, m.DequeueCount)).ToArray();
    }

    public Task DeleteAsync(string relayId, QueuedCommand message, CancellationToken cancellationToken = default) =>
        Queue(relayId).DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    /// <summary>The queue's name for a relay id.</summary>
    public string QueueName(string relayId) => clients.Options.RelayQueuePrefix + relayId;

    private QueueClient Queue(string relayId) => clients.Queues.GetQueueClient(QueueName(relayId));
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuraScale.Storage.Jobs;

/// <summary>The queue message that starts (or retries) a job: just its id and the attempt it starts.</summary>
public sealed record JobMessage(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("attempt")] int Attempt);

/// <summary>What the poison queue holds for a job that failed for good: enough for an operator to act without a debugger.</summary>
public sealed record PoisonedJob(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("failed_at")] DateTimeOffset FailedAt);

/// <summary>A message taken from the jobs queue: its body, how often it was delivered, and what deleting it needs.</summary>
public sealed record ReceivedJobMessage(string Body, long DequeueCount, string MessageId, string PopReceipt);

/// <summary>The jobs queue and its poison queue. Message bodies are JSON (Base64-encoded, as the Functions trigger expects).</summary>
public sealed class JobQueues(StorageClients clients)
{
    /// <summary>Queues an attempt of a job, visible after <paramref name="delay"/> (the retry back-off).</summary>
    public async Task EnqueueAsync(JobMessage message, TimeSpan delay, CancellationToken cancellationToken = default) =>
        await clients.JobsQueue.SendMessageAsync(
            JsonSerializer.Serialize(message),
            visibilityTimeout: delay > TimeSpan.Zero ? delay : null,
            cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes the next message, if any, out of sight of other readers for <paramref name="visibility"/>; it comes back
    /// unless <see cref="CompleteAsync"/> deletes it. Null when the queue is empty.
    /// </summary>
    public async Task<ReceivedJobMessage?> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        var messages = (await clients.JobsQueue.ReceiveMessagesAsync(1, visibility, cancellationToken).ConfigureAwait(false)).Value;
        return messages is [var m, ..] ? new ReceivedJobMessage(m.Body.ToString(), m.DequeueCount, m.MessageId, m.PopReceipt) : null;
    }

    /// <summary>Deletes a message that was handled.</summary>
    public async Task CompleteAsync(ReceivedJobMessage message, CancellationToken cancellationToken = default) =>
        await clients.JobsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);

    /// <summary>Parks a job that will not be retried, with the reason.</summary>
    public async Task PoisonAsync(PoisonedJob job, CancellationToken cancellationToken = default) =>
        await clients.JobsPoisonQueue.SendMessageAsync(JsonSerializer.Serialize(job), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a message body; null when it is not a job message (it is then poisoned by the caller).</summary>
    public static JobMessage? Parse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<JobMessage>(body);
            return message is { JobId.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

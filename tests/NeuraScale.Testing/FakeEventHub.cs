using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace NeuraScale.Testing;

/// <summary>
/// Event Hubs at the producer seam: real <see cref="EventDataBatch"/>es from the SDK's model factory with the
/// Standard tier's 1 MB limit (an event's size estimated as its body plus 200 bytes of AMQP framing and properties);
/// a send either fails transiently (nothing delivered) or keeps the batch.
/// </summary>
public class FakeEventHub : EventHubProducerClient
{
    /// <summary>Every event the hub has accepted, in order.</summary>
    public IEnumerable<EventData> Accepted => Batches.SelectMany(b => b.Events);

    public const long MaximumBatchBytes = 1_048_576;
    private readonly Dictionary<EventDataBatch, (List<EventData> Store, CreateBatchOptions Options)> _open = [];

    public int FailNextSends { get; set; }

    /// <summary>The hub is down (sends fail transiently) while this says so.</summary>
    public Func<bool>? DownWhile { get; set; }
    public int Failures { get; private set; }
    public List<(string? PartitionKey, List<EventData> Events, long Bytes)> Batches { get; } = [];

    public override ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken = default)
    {
        // As the service does when no smaller maximum is asked for: the link's limit.
        options.MaximumSizeInBytes ??= MaximumBatchBytes;
        var store = new List<EventData>();
        long size = 0;
        var batch = EventHubsModelFactory.EventDataBatch(MaximumBatchBytes, store, options, e =>
        {
            var bytes = e.EventBody.ToMemory().Length + 200;
            if (size + bytes > MaximumBatchBytes)
            {
                return false;
            }

            size += bytes;
            return true;
        });
        _open[batch] = (store, options);
        return ValueTask.FromResult(batch);
    }

    public override Task SendAsync(EventDataBatch eventBatch, CancellationToken cancellationToken = default)
    {
        var (store, options) = _open[eventBatch];
        _open.Remove(eventBatch);
        if (FailNextSends > 0 || DownWhile?.Invoke() == true)
        {
            FailNextSends = Math.Max(0, FailNextSends - 1);
            Failures++;
            throw new EventHubsException(true, "neural-chunks", "The service was unable to process the request; please retry.", EventHubsException.FailureReason.ServiceTimeout);
        }

        Batches.Add((options.PartitionKey, [.. store], store.Sum(e => e.EventBody.ToMemory().Length + 200L)));
        return Task.CompletedTask;
    }
}

using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Storage.Streaming;

/// <summary>A chunk that cannot travel as one event (the hub's largest event is smaller) and no claim-check is configured.</summary>
public sealed class EventTooLargeException(string message) : Exception(message);

/// <summary>
/// Sends a session's events to Event Hubs with the session id as partition key (its events stay in order on one
/// partition). Chunks go as many per batch as the hub's batch limit allows (1 MB on Standard), so a spool that filled
/// during an outage drains in few round trips. A chunk larger than one event goes through the claim-check when one is
/// given: stored first, then a reference sent in its place. Each call returns only once the hub acknowledged what it
/// reports sent.
/// </summary>
public sealed class ChunkEventPublisher(EventHubProducerClient producer, ChunkClaimCheck? claimCheck = null) : IAsyncDisposable
{
    /// <summary>Spans of the relay's sends; each event carries its span's trace context (<see cref="ChunkEvents.TraceParentProperty"/>).</summary>
    public static readonly System.Diagnostics.ActivitySource Telemetry = new("NeuraScale.Relay");

    public static ChunkEventPublisher Create(EventHubsOptions options, ChunkClaimCheck? claimCheck = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = ClientOptions(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new ChunkEventPublisher(new EventHubProducerClient(options.ConnectionString, options.EventHubName, clientOptions), claimCheck);
        }

        return new ChunkEventPublisher(new EventHubProducerClient(options.FullyQualifiedNamespace, options.EventHubName, options.Credential(), clientOptions), claimCheck);
    }

    /// <summary>What an event costs in a batch beyond its body, with margin: AMQP framing, our properties, the trace context.</summary>
    private const int EventOverheadBytes = 1024;

    /// <summary>The SDK client's options from ours: exponential retries, and the transport (AMQP on 5671, or over WebSockets on 443).</summary>
    public static EventHubProducerClientOptions ClientOptions(EventHubsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EventHubProducerClientOptions
        {
            RetryOptions = new EventHubsRetryOptions { Mode = EventHubsRetryMode.Exponential, MaximumRetries = options.MaxRetries, TryTimeout = TimeSpan.FromSeconds(30) },
            ConnectionOptions = new EventHubConnectionOptions { TransportType = options.UseWebSockets ? EventHubsTransportType.AmqpWebSockets : EventHubsTransportType.AmqpTcp },
        };
    }

    public Task PublishOpenAsync(RecordingSession session, CancellationToken cancellationToken) =>
        PublishOneAsync(session.Id, ChunkEvents.ForOpen(session), cancellationToken);

    public Task PublishCloseAsync(SessionId sessionId, SessionStatus status, long? sampleCount, CancellationToken cancellationToken) =>
        PublishOneAsync(sessionId, ChunkEvents.ForClose(sessionId, status, sampleCount), cancellationToken);

    /// <summary>Sends the longest prefix of <paramref name="chunks"/> (one session's, in order) that fits one batch; returns how many.</summary>
    /// <exception cref="EventTooLargeException">The first chunk alone is larger than the hub accepts and there is no claim-check.</exception>
    public async Task<int> PublishChunksAsync(IReadOnlyList<SignalChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count == 0)
        {
            return 0;
        }

        var sessionId = chunks[0].SessionId;
        using var activity = Telemetry.StartActivity("publish chunks", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("session.id", sessionId.Value);
        using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = sessionId.Value }, cancellationToken).ConfigureAwait(false);
        var added = 0;
        var claimChecked = new List<(SignalChunk Chunk, byte[] Encoded)>();
        foreach (var chunk in chunks)
        {
            if (chunk.SessionId != sessionId)
            {
                throw new ArgumentException($"One batch carries one session's chunks; got {chunk.SessionId} after {sessionId}.", nameof(chunks));
            }

            var encoded = ChunkCodec.Encode(chunk);
            var data = ChunkEvents.ForChunk(chunk, encoded);
            // A chunk within a kilobyte of the limit (AMQP framing and properties) cannot travel alone either: claim-check
            // it wherever it stands, so a stream of large chunks sends many references per batch.
            var tooLarge = claimCheck is not null && data.EventBody.ToMemory().Length + EventOverheadBytes > batch.MaximumSizeInBytes;
            if (tooLarge || !batch.TryAdd(data))
            {
                if (!tooLarge && added > 0)
                {
                    break; // the batch is full; the caller sends the rest in the next
                }

                if (claimCheck is null)
                {
                    throw new EventTooLargeException(
                        $"Chunk {chunk.Sequence} of {sessionId} is {data.EventBody.ToMemory().Length:N0} bytes; the event hub accepts at most {batch.MaximumSizeInBytes:N0} per batch. " +
                        $"A second of {chunk.ChannelCount} channels at {chunk.SampleCount} Hz does not fit one event: turn EventHubs:ClaimCheck on (the relay then stores such chunks itself), record fewer channels or a lower rate, or use the Blob sink.");
                }

                var reference = ChunkEvents.ForChunkReference(ChunkClaimCheck.Reference(chunk, encoded));
                if (!batch.TryAdd(reference))
                {
                    if (added > 0)
                    {
                        break;
                    }

                    throw new EventTooLargeException($"The reference to chunk {chunk.Sequence} of {sessionId} does not fit an empty batch of {batch.MaximumSizeInBytes:N0} bytes.");
                }

                claimChecked.Add((chunk, encoded));
            }

            added++;
        }

        // The claim: stored before its reference is sent, so an ingest never resolves a reference ahead of its chunk.
        await Parallel.ForEachAsync(claimChecked, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (item, ct) => await claimCheck!.StoreAsync(item.Chunk, item.Encoded, ct).ConfigureAwait(false)).ConfigureAwait(false);

        await producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("chunks", added);
        activity?.SetTag("chunks.claim_checked", claimChecked.Count);
        return added;
    }

    private async Task PublishOneAsync(SessionId sessionId, EventData data, CancellationToken cancellationToken)
    {
        using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = sessionId.Value }, cancellationToken).ConfigureAwait(false);
        if (!batch.TryAdd(data))
        {
            throw new EventTooLargeException($"The {data.Properties[ChunkEvents.KindProperty]} event of {sessionId} ({data.EventBody.ToMemory().Length:N0} bytes) is larger than the hub accepts ({batch.MaximumSizeInBytes:N0}).");
        }

        await producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();
}

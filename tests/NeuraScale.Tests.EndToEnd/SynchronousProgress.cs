using ModelContextProtocol;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// Collects progress notifications as they arrive (Progress&lt;T&gt; would post them later, racing the assertions). The SDK
/// client hands each incoming message to its own task, so notifications may arrive in another order than they were sent,
/// and after the call's result: wait for the one expected before asserting (the order on the wire is tested separately).
/// </summary>
internal sealed class SynchronousProgress(List<ProgressNotificationValue> updates) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value)
    {
        lock (updates)
        {
            updates.Add(value);
        }
    }

    /// <summary>Polls (an arrival, not the passing of time) until <paramref name="condition"/> holds, at most 10 s.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ProgressNotificationValue>, bool> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            lock (updates)
            {
                if (condition(updates))
                {
                    return;
                }
            }

            await Task.Delay(10, timeout.Token);
        }
    }
}

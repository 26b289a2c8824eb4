using ModelContextProtocol;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>Collects progress notifications as they arrive (Progress&lt;T&gt; would post them later, racing the assertions).</summary>
internal sealed class SynchronousProgress(List<ProgressNotificationValue> updates) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value)
    {
        lock (updates)
        {
            updates.Add(value);
        }
    }
}

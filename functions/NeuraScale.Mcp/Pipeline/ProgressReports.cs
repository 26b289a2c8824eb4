using ModelContextProtocol;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>Turns a service's 0–1 progress into MCP progress notifications (percent), sent in order as they happen.</summary>
public static class ProgressReports
{
    /// <summary>Null when the client asked for no progress; otherwise reports each whole-percent step once.</summary>
    public static IProgress<double>? Percent(IProgress<ProgressNotificationValue>? progress, string message) =>
        progress is null ? null : new PercentProgress(progress, message);

    /// <summary>Null when the client asked for no progress; otherwise each message as a step (steps counted, no total).</summary>
    public static IProgress<string>? Steps(IProgress<ProgressNotificationValue>? progress) =>
        progress is null ? null : new StepProgress(progress);

    private sealed class StepProgress(IProgress<ProgressNotificationValue> progress) : IProgress<string>
    {
        private int _step;

        public void Report(string value) => progress.Report(new ProgressNotificationValue { Progress = Interlocked.Increment(ref _step), Message = value });
    }

    private sealed class PercentProgress(IProgress<ProgressNotificationValue> progress, string message) : IProgress<double>
    {
        private int _last = -1;

        public void Report(double value)
        {
            var percent = (int)Math.Floor(Math.Clamp(value, 0, 1) * 100);
            if (Interlocked.Exchange(ref _last, percent) == percent)
            {
                return;
            }

            progress.Report(new ProgressNotificationValue { Progress = percent, Total = 100, Message = message });
        }
    }
}

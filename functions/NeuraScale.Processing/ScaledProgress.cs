namespace NeuraScale.Processing;

/// <summary>A stage's 0–1 progress mapped onto its share of the whole, reported synchronously (no SynchronizationContext hop).</summary>
public sealed class ScaledProgress(IProgress<double> inner, double from, double to) : IProgress<double>
{
    /// <summary>The stage's reporter, or null when nobody listens.</summary>
    public static IProgress<double>? Of(IProgress<double>? progress, double from, double to) =>
        progress is null ? null : new ScaledProgress(progress, from, to);

    public void Report(double value) => inner.Report(from + ((to - from) * value));
}

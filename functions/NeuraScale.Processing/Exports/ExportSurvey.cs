using NeuraScale.Domain;
using NeuraScale.Processing.Reading;

namespace NeuraScale.Processing.Exports;

/// <summary>What a first pass over the export finds: each channel's range (EDF needs it up front) and every marker.</summary>
public sealed record ExportSurvey(double[] Minimum, double[] Maximum, IReadOnlyList<EventMarker> Markers)
{
    /// <summary>The first pass: reads the plan's blocks for channel ranges and markers.</summary>
    public static async Task<ExportSurvey> TakeAsync(SignalBlockReader reader, SignalPlan plan, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var n = plan.Channels.Length;
        var min = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, n).ToArray();
        var markers = new List<EventMarker>();
        await foreach (var block in reader.ReadAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            for (var c = 0; c < n; c++)
            {
                foreach (var v in block.Data[c].AsSpan(0, block.Count))
                {
                    min[c] = Math.Min(min[c], v);
                    max[c] = Math.Max(max[c], v);
                }
            }

            markers.AddRange(block.Markers);
            progress?.Report((block.Index + 1.0) / plan.Blocks);
        }

        return new ExportSurvey(min, max, markers);
    }
}

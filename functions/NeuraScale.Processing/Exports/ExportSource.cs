using System.Runtime.CompilerServices;
using NeuraScale.Domain;
using NeuraScale.Signals;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.Exports;

/// <summary>One block of export samples: <c>Data[channel][0..Count)</c> (buffers reused between blocks) and its markers.</summary>
public sealed record ExportBlock(int Index, float[][] Data, int Count, IReadOnlyList<EventMarker> Markers);

/// <summary>What a first pass over the export finds: each channel's range (EDF needs it up front) and every marker.</summary>
public sealed record ExportSurvey(double[] Minimum, double[] Maximum, IReadOnlyList<EventMarker> Markers);

/// <summary>
/// Streams the samples of an <see cref="ExportPlan"/> block by block from storage, downsampled if asked, reading the
/// next block while the current one is written.
/// </summary>
public sealed class ExportSource(SignalWindowReader reader)
{
    public async IAsyncEnumerable<ExportBlock> ReadAsync(ExportPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channels = plan.Request.Channels;
        var buffers = channels.Select(_ => new float[plan.BlockOutputs]).ToArray();
        var taps = plan.Factor == 1 ? null : Decimation.AntiAliasTaps(plan.Factor);
        var scratch = new double[plan.BlockOutputs];
        Task<SignalWindow>? next = plan.Blocks > 0 ? Read(plan, 0, cancellationToken) : null;
        try
        {
            for (var b = 0; b < plan.Blocks; b++)
            {
                var window = await next!.ConfigureAwait(false);
                next = b + 1 < plan.Blocks ? Read(plan, b + 1, cancellationToken) : null;
                var (first, count) = plan.Block(b);
                var centre = (int)(plan.FirstOutput + (first * plan.Factor) - window.FirstSample);
                for (var c = 0; c < channels.Length; c++)
                {
                    if (taps is null)
                    {
                        var source = window.Data[c];
                        for (var i = 0; i < count; i++)
                        {
                            buffers[c][i] = (float)source[centre + i];
                        }
                    }
                    else
                    {
                        Decimation.FilterAndDownsample(window.Data[c], taps, centre, plan.Factor, scratch.AsSpan(0, count));
                        for (var i = 0; i < count; i++)
                        {
                            buffers[c][i] = (float)scratch[i];
                        }
                    }
                }

                var (from, to) = plan.Markers(b);
                yield return new ExportBlock(b, buffers, count, window.Events.Where(e => e.Sample >= from && e.Sample < to).ToArray());
            }
        }
        finally
        {
            if (next is not null)
            {
                // Abandoned early (cancelled or failed): observe the read in flight so its fault is not lost.
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (Exception) when (next.IsFaulted || next.IsCanceled)
                {
                }
            }
        }
    }

    /// <summary>The first pass: channel ranges and markers.</summary>
    public async Task<ExportSurvey> SurveyAsync(ExportPlan plan, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var n = plan.Request.Channels.Length;
        var min = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, n).ToArray();
        var markers = new List<EventMarker>();
        await foreach (var block in ReadAsync(plan, cancellationToken).ConfigureAwait(false))
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

    private Task<SignalWindow> Read(ExportPlan plan, int block, CancellationToken cancellationToken)
    {
        var (from, to) = plan.Input(block);
        return reader.ReadAsync(plan.Session, from, checked((int)(to - from)), plan.Request.Channels, cancellationToken);
    }
}

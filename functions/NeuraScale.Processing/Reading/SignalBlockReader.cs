using System.Runtime.CompilerServices;
using NeuraScale.Domain;
using NeuraScale.Signals;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.Reading;

/// <summary>One block of samples: <c>Data[channel][0..Count)</c> (buffers reused between blocks) and its markers.</summary>
public sealed record SignalBlock(int Index, float[][] Data, int Count, IReadOnlyList<EventMarker> Markers);

/// <summary>
/// Streams the samples of a <see cref="SignalPlan"/> block by block from storage, downsampled if asked, reading the
/// next block while the current one is used.
/// </summary>
public sealed class SignalBlockReader(SignalWindowReader reader)
{
    public async IAsyncEnumerable<SignalBlock> ReadAsync(SignalPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channels = plan.Channels;
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
                yield return new SignalBlock(b, buffers, count, window.Events.Where(e => e.Sample >= from && e.Sample < to).ToArray());
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

    private Task<SignalWindow> Read(SignalPlan plan, int block, CancellationToken cancellationToken)
    {
        var (from, to) = plan.Input(block);
        return reader.ReadAsync(plan.Session, from, checked((int)(to - from)), plan.Channels, cancellationToken);
    }
}

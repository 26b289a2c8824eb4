namespace NeuraScale.Signals.Filters;

/// <summary>
/// Channels four at a time, one per lane of a 256-bit vector, groups on all cores — the shared schedule of the
/// many-channel kernels. A last, partial group repeats its last channel in the spare lanes; a kernel gives those lanes
/// throwaway outputs (and state) so it writes only the group's own channels.
/// </summary>
internal static class ChannelLanes
{
    public const int Width = 4;

    /// <param name="body">Called once per group with the channel in each lane and whether the lane is that channel's own (not a spare).</param>
    public static void ForEachGroup(int channels, int maxDegreeOfParallelism, Action<int[], bool[]> body)
    {
        var groups = (channels + Width - 1) / Width;
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, g =>
        {
            var real = Math.Min(Width, channels - (g * Width));
            var channel = new int[Width];
            var own = new bool[Width];
            for (var l = 0; l < Width; l++)
            {
                channel[l] = (g * Width) + Math.Min(l, real - 1);
                own[l] = l < real;
            }

            body(channel, own);
        });
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuraScale.Signals.Filters;

/// <summary>
/// One block of causal filtering for many channels, each continuing its own state — what a streaming filter does block
/// after block — four channels per 256-bit vector and groups of four on all cores. Each lane does exactly
/// <see cref="SecondOrderSections.Filter"/>'s arithmetic, so outputs and states are bit-identical to filtering each
/// channel alone; run backward, it is the time-reversed pass of a zero-phase filter, in place, without reversed copies.
/// </summary>
public static class MultichannelFilter
{
    private const int Lanes = ChannelLanes.Width;

    /// <summary>
    /// Filters the first <paramref name="count"/> samples of each <paramref name="inputs"/>[c] into
    /// <paramref name="outputs"/>[c] (which may be the input), continuing from and updating <paramref name="states"/>[c]
    /// (2 values per section). With <paramref name="backward"/> the samples are taken last to first, as filtering the
    /// reversed block and reversing the result.
    /// </summary>
    /// <exception cref="ArgumentException">Channel counts differ, a buffer is shorter than <paramref name="count"/>, or a state has the wrong size.</exception>
    public static void Filter(
        SecondOrderSections sos,
        IReadOnlyList<double[]> inputs,
        IReadOnlyList<double[]> outputs,
        IReadOnlyList<double[]> states,
        int count,
        bool backward = false,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(sos);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(states);
        if (inputs.Count != outputs.Count || inputs.Count != states.Count)
        {
            throw new ArgumentException($"{inputs.Count} input, {outputs.Count} output and {states.Count} state channel(s); they must match.", nameof(outputs));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var c = 0; c < inputs.Count; c++)
        {
            if (inputs[c].Length < count || outputs[c].Length < count)
            {
                throw new ArgumentException($"Channel {c} holds {inputs[c].Length} samples with room for {outputs[c].Length}; {count} are needed.", nameof(inputs));
            }

            if (states[c].Length != 2 * sos.SectionCount)
            {
                throw new ArgumentException($"Channel {c}'s state holds {states[c].Length} values; {2 * sos.SectionCount} (2 per section) are needed.", nameof(states));
            }
        }

        var coefficients = sos.ToArray();
        ChannelLanes.ForEachGroup(inputs.Count, maxDegreeOfParallelism, (channel, own) =>
        {
            var x = new double[Lanes][];
            var y = new double[Lanes][];
            var z = new double[Lanes][];
            for (var l = 0; l < Lanes; l++)
            {
                var c = channel[l];
                x[l] = inputs[c];
                y[l] = own[l] ? outputs[c] : new double[count];
                z[l] = own[l] ? states[c] : (double[])states[c].Clone(); // a spare lane's state is a throwaway copy
            }

            FilterGroup(coefficients, x, y, z, count, backward);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterGroup(double[] c, double[][] x, double[][] y, double[][] z, int count, bool backward)
    {
        var sections = c.Length / 6;
        var state = new Vector256<double>[2 * sections];
        for (var k = 0; k < state.Length; k++)
        {
            state[k] = Vector256.Create(z[0][k], z[1][k], z[2][k], z[3][k]);
        }

        for (var j = 0; j < count; j++)
        {
            var i = backward ? count - 1 - j : j;
            var v = MultichannelZeroPhase.Step(c, sections, state, Vector256.Create(x[0][i], x[1][i], x[2][i], x[3][i]));
            y[0][i] = v[0];
            y[1][i] = v[1];
            y[2][i] = v[2];
            y[3][i] = v[3];
        }

        for (var k = 0; k < state.Length; k++)
        {
            z[0][k] = state[k][0];
            z[1][k] = state[k][1];
            z[2][k] = state[k][2];
            z[3][k] = state[k][3];
        }
    }
}

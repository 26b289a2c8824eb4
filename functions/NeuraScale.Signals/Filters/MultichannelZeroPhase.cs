using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuraScale.Signals.Filters;

/// <summary>
/// <c>scipy.signal.sosfiltfilt</c> over many channels at once: four channels per 256-bit vector (one per lane), groups of
/// four on all cores, and no full-length temporary — the odd extension is computed as the forward pass reads it, the
/// forward result is written straight into the output, the right extension's forward result (pad samples) is the only
/// buffers (with the last pad + 1 inputs, so outputs may be the inputs), and the backward pass runs in place from the end, stopping where the discarded left padding begins. Each
/// lane does exactly the scalar <see cref="SecondOrderSections.FilterZeroPhase"/>'s operations in the same order
/// (separate multiplies and adds, no fused multiply-add), so the results are bit-identical to it.
/// </summary>
public static class MultichannelZeroPhase
{
    private const int Lanes = ChannelLanes.Width;

    /// <summary>Filters each <paramref name="inputs"/>[c] into <paramref name="outputs"/>[c] (same lengths, all channels one length).</summary>
    /// <exception cref="ArgumentException">Channel counts or lengths differ, or a channel is not longer than the padding.</exception>
    public static void Filter(SecondOrderSections sos, IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> outputs, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(sos);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count != outputs.Count)
        {
            throw new ArgumentException($"{inputs.Count} input channel(s) but {outputs.Count} output channel(s).", nameof(outputs));
        }

        if (inputs.Count == 0)
        {
            return;
        }

        var n = inputs[0].Length;
        var pad = sos.PadLength;
        if (n <= pad)
        {
            throw new ArgumentException($"Zero-phase filtering needs more than {pad} samples (the padding length for {sos.SectionCount} sections); got {n}.", nameof(inputs));
        }

        for (var c = 0; c < inputs.Count; c++)
        {
            if (inputs[c].Length != n || outputs[c].Length < n)
            {
                throw new ArgumentException($"Channel {c} holds {inputs[c].Length} samples with room for {outputs[c].Length}; every channel must hold {n}.", nameof(inputs));
            }
        }

        var coefficients = sos.ToArray();
        var unit = sos.SteadyStateForUnitStep();
        ChannelLanes.ForEachGroup(inputs.Count, maxDegreeOfParallelism, (channel, own) =>
        {
            var x = new double[Lanes][];
            var y = new double[Lanes][];
            for (var l = 0; l < Lanes; l++)
            {
                x[l] = inputs[channel[l]];
                y[l] = own[l] ? outputs[channel[l]] : new double[n];
            }

            FilterGroup(coefficients, unit, pad, x, y);
        });
    }

    // Fully optimised from the first call: at tier 0 the vector loop ran 8× slower, and a Function's first invocation
    // is often its only one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterGroup(double[] c, double[] unit, int pad, double[][] x, double[][] y)
    {
        var n = x[0].Length;
        var sections = c.Length / 6;
        var state = new Vector256<double>[2 * sections];
        var tail = new Vector256<double>[pad];

        // Forward: the left extension (outputs discarded), the signal (into y), the right extension (into tail).
        var first = Vector256.Create(x[0][0], x[1][0], x[2][0], x[3][0]);
        var left0 = (Vector256.Create(2.0) * first) - Vector256.Create(x[0][pad], x[1][pad], x[2][pad], x[3][pad]);
        Start(state, unit, left0);
        for (var i = 0; i < pad; i++)
        {
            var v = (Vector256.Create(2.0) * first) - Vector256.Create(x[0][pad - i], x[1][pad - i], x[2][pad - i], x[3][pad - i]);
            Step(c, sections, state, v);
        }

        // The right extension is made of the last pad + 1 samples: kept before the forward pass may overwrite them
        // (outputs may be the inputs).
        var ending = new Vector256<double>[pad + 1];
        for (var j = 0; j <= pad; j++)
        {
            var i = n - 1 - pad + j;
            ending[j] = Vector256.Create(x[0][i], x[1][i], x[2][i], x[3][i]);
        }

        for (var i = 0; i < n; i++)
        {
            var v = Step(c, sections, state, Vector256.Create(x[0][i], x[1][i], x[2][i], x[3][i]));
            y[0][i] = v[0];
            y[1][i] = v[1];
            y[2][i] = v[2];
            y[3][i] = v[3];
        }

        var last = ending[pad];
        for (var i = 0; i < pad; i++)
        {
            var v = (Vector256.Create(2.0) * last) - ending[pad - 1 - i]; // x[n − 2 − i]
            tail[i] = Step(c, sections, state, v);
        }

        // Backward, from the end: through the tail (outputs discarded), then the signal in place.
        Start(state, unit, tail[pad - 1]);
        for (var i = pad - 1; i >= 0; i--)
        {
            Step(c, sections, state, tail[i]);
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var v = Step(c, sections, state, Vector256.Create(y[0][i], y[1][i], y[2][i], y[3][i]));
            y[0][i] = v[0];
            y[1][i] = v[1];
            y[2][i] = v[2];
            y[3][i] = v[3];
        }
    }

    /// <summary>scipy's <c>zi * x[0]</c>, per lane.</summary>
    internal static void Start(Vector256<double>[] state, double[] unit, Vector256<double> firstSample)
    {
        for (var k = 0; k < state.Length; k++)
        {
            state[k] = Vector256.Create(unit[k]) * firstSample;
        }
    }

    /// <summary>One sample through every section: the scalar <see cref="SecondOrderSections.Filter"/>'s arithmetic, per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Step(double[] c, int sections, Vector256<double>[] state, Vector256<double> x)
    {
        for (var s = 0; s < sections; s++)
        {
            var k = s * 6;
            var y = (Vector256.Create(c[k]) * x) + state[2 * s];
            state[2 * s] = (Vector256.Create(c[k + 1]) * x) - (Vector256.Create(c[k + 4]) * y) + state[(2 * s) + 1];
            state[(2 * s) + 1] = (Vector256.Create(c[k + 2]) * x) - (Vector256.Create(c[k + 5]) * y);
            x = y;
        }

        return x;
    }
}

namespace NeuraScale.Signals.Epochs;

/// <summary>How a peak is chosen, as MNE's <c>Evoked.get_peak(mode=…)</c>.</summary>
public enum PeakMode
{
    /// <summary>Largest absolute value.</summary>
    Abs,

    /// <summary>Most positive value.</summary>
    Pos,

    /// <summary>Most negative value.</summary>
    Neg,
}

/// <summary>Averages over epochs and their peaks (MNE's <c>Epochs.average</c>, <c>standard_error</c>, <c>Evoked.get_peak</c>).</summary>
public static class Evoked
{
    /// <summary>Mean over epochs, <c>[channel][time]</c>.</summary>
    /// <exception cref="ArgumentException">There are no epochs.</exception>
    public static double[][] Average(double[][][] epochs)
    {
        RequireEpochs(epochs);
        var channels = epochs[0].Length;
        var times = epochs[0][0].Length;
        var mean = new double[channels][];
        for (var c = 0; c < channels; c++)
        {
            mean[c] = new double[times];
            foreach (var epoch in epochs)
            {
                for (var t = 0; t < times; t++)
                {
                    mean[c][t] += epoch[c][t];
                }
            }

            for (var t = 0; t < times; t++)
            {
                mean[c][t] /= epochs.Length;
            }
        }

        return mean;
    }

    /// <summary>
    /// Standard error of the mean over epochs, <c>[channel][time]</c>: the population standard deviation over epochs
    /// divided by √n, as <c>mne.Epochs.standard_error()</c> computes it.
    /// </summary>
    public static double[][] StandardError(double[][][] epochs)
    {
        var mean = Average(epochs);
        var n = epochs.Length;
        var error = new double[mean.Length][];
        for (var c = 0; c < mean.Length; c++)
        {
            error[c] = new double[mean[c].Length];
            for (var t = 0; t < mean[c].Length; t++)
            {
                var sum = 0.0;
                foreach (var epoch in epochs)
                {
                    var d = epoch[c][t] - mean[c][t];
                    sum += d * d;
                }

                error[c][t] = Math.Sqrt(sum / n) / Math.Sqrt(n);
            }
        }

        return error;
    }

    /// <summary>
    /// Index of the peak of <paramref name="signal"/> among samples whose time lies in [<paramref name="fromS"/>,
    /// <paramref name="toS"/>]; the first such index on ties (numpy argmax).
    /// </summary>
    /// <exception cref="ArgumentException">No sample lies in the interval.</exception>
    public static int PeakIndex(ReadOnlySpan<double> signal, ReadOnlySpan<double> times, double fromS, double toS, PeakMode mode)
    {
        var best = -1;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < signal.Length; i++)
        {
            if (times[i] < fromS - 1e-9 || times[i] > toS + 1e-9)
            {
                continue;
            }

            var value = mode switch { PeakMode.Abs => Math.Abs(signal[i]), PeakMode.Pos => signal[i], _ => -signal[i] };
            if (value > bestValue)
            {
                best = i;
                bestValue = value;
            }
        }

        return best >= 0 ? best : throw new SignalParameterException(nameof(fromS), $"The peak window {fromS}–{toS} s holds no sample of the epoch ({times[0]:0.###}–{times[^1]:0.###} s).");
    }

    private static void RequireEpochs(double[][][] epochs)
    {
        if (epochs is null || epochs.Length == 0)
        {
            throw new ArgumentException("There are no epochs to average: every event was dropped or none matched.", nameof(epochs));
        }
    }
}

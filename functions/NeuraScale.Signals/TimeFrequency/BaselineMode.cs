namespace NeuraScale.Signals.TimeFrequency;

/// <summary>Baseline normalisations of <c>mne.baseline.rescale</c>.</summary>
public enum BaselineMode
{
    /// <summary>Subtract the baseline mean.</summary>
    Mean,

    /// <summary>Divide by the baseline mean.</summary>
    Ratio,

    /// <summary>log10 of the ratio to the baseline mean.</summary>
    LogRatio,

    /// <summary>(x − mean) / mean.</summary>
    Percent,

    /// <summary>(x − mean) / standard deviation of the baseline.</summary>
    ZScore,
}

/// <summary>Baseline correction over the last axis of time-frequency power, as <c>mne.baseline.rescale</c>.</summary>
public static class Baseline
{
    /// <summary>
    /// Rescales each row in place using the mean (and for z-score the population SD) over the samples whose time lies
    /// in [<paramref name="startS"/>, <paramref name="endS"/>].
    /// </summary>
    /// <exception cref="ArgumentException">The interval holds no sample.</exception>
    public static void Apply(double[] row, ReadOnlySpan<double> times, double startS, double endS, BaselineMode mode)
    {
        var from = -1;
        var to = -1;
        for (var i = 0; i < times.Length; i++)
        {
            if (times[i] >= startS - 1e-9 && times[i] <= endS + 1e-9)
            {
                from = from < 0 ? i : from;
                to = i;
            }
        }

        if (from < 0)
        {
            throw new SignalParameterException(nameof(startS), $"The baseline {startS}–{endS} s holds no time point of the data ({times[0]:0.###}–{times[^1]:0.###} s).");
        }

        var n = to - from + 1;
        var mean = 0.0;
        for (var i = from; i <= to; i++)
        {
            mean += row[i];
        }

        mean /= n;
        var sd = 0.0;
        if (mode == BaselineMode.ZScore)
        {
            for (var i = from; i <= to; i++)
            {
                sd += (row[i] - mean) * (row[i] - mean);
            }

            sd = Math.Sqrt(sd / n);
        }

        for (var i = 0; i < row.Length; i++)
        {
            row[i] = mode switch
            {
                BaselineMode.Mean => row[i] - mean,
                BaselineMode.Ratio => row[i] / mean,
                BaselineMode.LogRatio => Math.Log10(row[i] / mean),
                BaselineMode.Percent => (row[i] - mean) / mean,
                _ => (row[i] - mean) / sd,
            };
        }
    }
}

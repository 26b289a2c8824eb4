using NeuraScale.Signals.Filters;

namespace NeuraScale.Signals.Quality;

/// <summary>Time-domain artifact detectors behind <see cref="SignalQuality"/>; thresholds in µV.</summary>
internal static class ArtifactDetection
{
    /// <summary>
    /// Electrode pops: a step — the mean of the next 50 ms differs from the mean of the previous 50 ms by at least
    /// <paramref name="threshold"/> — that is sharp: most of it happens within 10 ms (a blink or a slow drift changes
    /// as much only over 100 ms or more), persists (50–100 ms after the step still differs from 50–100 ms before it by
    /// half the step, in the same direction — an alpha wave's half-cycles reverse instead), and stands out of the local
    /// signal: at least 3 × the standard deviation of the half second before it (large rhythmic waves are not pops), and
    /// at least 3 × the RMS sample-to-sample change
    /// around it (muscle activity jumps by that much all the time; a pop hidden in a muscle burst is not counted).
    /// One pop per 0.5 s at most. Returns the sample of each step.
    /// </summary>
    internal static List<int> Pops(double[] x, double fs, double threshold)
    {
        var w = Math.Max(2, (int)Math.Round(0.05 * fs));
        var d = Math.Max(1, (int)Math.Round(0.01 * fs));
        var refractory = (int)Math.Round(0.5 * fs);
        var prefix = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++)
        {
            prefix[i + 1] = prefix[i] + x[i];
        }

        double Step(int n, int width) => ((prefix[n + width] - prefix[n]) - (prefix[n] - prefix[n - width])) / width;
        double Persisting(int n) => n - (2 * w) < 0 || n + (2 * w) > x.Length
            ? 0
            : ((prefix[n + (2 * w)] - prefix[n + w]) - (prefix[n - w] - prefix[n - (2 * w)])) / w;
        var squares = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++)
        {
            squares[i + 1] = squares[i] + (x[i] * x[i]);
        }

        var before = (int)Math.Round(0.5 * fs);
        double SpreadBefore(int n)
        {
            var start = Math.Max(0, n - before);
            var count = n - start;
            if (count < 2)
            {
                return 0;
            }

            var mean = (prefix[n] - prefix[start]) / count;
            return Math.Sqrt(Math.Max(0, ((squares[n] - squares[start]) / count) - (mean * mean)));
        }

        double LocalChange(int n)
        {
            double sum = 0;
            var count = 0;
            for (var i = Math.Max(1, n - w); i < Math.Min(x.Length, n + w); i++)
            {
                if (Math.Abs(i - n) > d)
                {
                    sum += (x[i] - x[i - 1]) * (x[i] - x[i - 1]);
                    count++;
                }
            }

            return count == 0 ? 0 : Math.Sqrt(sum / count);
        }

        bool IsPop(int n)
        {
            var step = Step(n, w);
            var sharp = Step(n, d);
            var persisting = Persisting(n);
            return Math.Abs(step) >= threshold && Math.Sign(sharp) == Math.Sign(step) && Math.Abs(sharp) >= 0.6 * Math.Abs(step)
                && Math.Sign(persisting) == Math.Sign(step) && Math.Abs(persisting) >= 0.5 * Math.Abs(step)
                && Math.Abs(step) >= 3 * LocalChange(n) && Math.Abs(step) >= 3 * SpreadBefore(n);
        }

        var pops = new List<int>();
        for (var n = w; n <= x.Length - w; n++)
        {
            if (!IsPop(n))
            {
                continue;
            }

            // The step itself is where the statistic peaks within the next window.
            var at = n;
            for (var m = n + 1; m <= Math.Min(n + w, x.Length - w); m++)
            {
                if (Math.Abs(Step(m, w)) > Math.Abs(Step(at, w)))
                {
                    at = m;
                }
            }

            pops.Add(at);
            n = at + refractory - 1;
        }

        return pops;
    }

    /// <summary>
    /// Muscle bursts: 250 ms windows whose 20–40 Hz RMS (4th-order Butterworth, zero phase; below the mains) is at
    /// least 3 × the channel's median window and 8 µV above it (background EEG's windows scatter up to about 2 ×); consecutive flagged windows are one burst.
    /// Windows within 0.3 s of a pop (a step is broadband too) and the first and last window (the filter's edges) are
    /// not judged. Returned as window-index runs [start, end).
    /// </summary>
    public static List<(int Start, int End)> MuscleRuns(double[] x, double fs, IReadOnlyList<int> pops)
    {
        var runs = new List<(int, int)>();
        if (fs < 100)
        {
            return runs; // the 20–40 Hz band needs fs well above 80 Hz
        }

        var filtered = new double[x.Length];
        ButterworthDesign.Design(4, FilterKind.BandPass, fs, 20, 40).FilterZeroPhase(x, filtered);
        var width = (int)Math.Round(0.25 * fs);
        var windows = x.Length / width;
        if (windows < 4)
        {
            return runs;
        }

        var rms = new double[windows];
        for (var w = 0; w < windows; w++)
        {
            var sum = 0.0;
            for (var i = w * width; i < (w + 1) * width; i++)
            {
                sum += filtered[i] * filtered[i];
            }

            rms[w] = Math.Sqrt(sum / width);
        }

        var median = SignalQuality.Median([.. rms]);
        var start = -1;
        for (var w = 0; w <= windows; w++)
        {
            var judged = w > 0 && w < windows - 1 && !pops.Any(p => p >= (w * width) - (0.3 * fs) && p < ((w + 1) * width) + (0.3 * fs));
            var flagged = judged && rms[w] >= 3 * median && rms[w] >= median + 8;
            if (flagged && start < 0)
            {
                start = w;
            }
            else if (!flagged && start >= 0)
            {
                runs.Add((start, w));
                start = -1;
            }
        }

        return runs;
    }

    /// <summary>
    /// Per channel, the events no more than <paramref name="maxChannels"/> − 1 other channels also have within
    /// <paramref name="window"/> samples.
    /// </summary>
    public static List<int>[] SingleChannelEvents(List<int>[] events, int window, int maxChannels)
    {
        var kept = new List<int>[events.Length];
        for (var c = 0; c < events.Length; c++)
        {
            kept[c] = events[c].Where(e => events.Count(other => other.Any(o => Math.Abs(o - e) <= window)) <= maxChannels).ToList();
        }

        return kept;
    }

    /// <summary>Bursts over all channels: runs that overlap or touch are one burst.</summary>
    public static int MergeRuns(List<(int Start, int End)> runs)
    {
        var count = 0;
        var end = int.MinValue;
        foreach (var (start, stop) in runs.OrderBy(r => r.Start))
        {
            if (start > end)
            {
                count++;
            }

            end = Math.Max(end, stop);
        }

        return count;
    }

    /// <summary>
    /// Blinks: peaks of at least <paramref name="threshold"/> in the mean of the frontal channels after a 0.5–8 Hz
    /// band-pass (2nd-order Butterworth, zero phase), at least 0.3 s apart (the higher one kept, as find_peaks' distance).
    /// Positive only: the cornea swings towards Fp1/Fp2 when the lid closes.
    /// </summary>
    public static int Blinks(double[][] frontal, double fs, double threshold)
    {
        var n = frontal[0].Length;
        var mean = new double[n];
        foreach (var row in frontal)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += row[i] / frontal.Length;
            }
        }

        var filtered = new double[n];
        ButterworthDesign.Design(2, FilterKind.BandPass, fs, 0.5, 8).FilterZeroPhase(mean, filtered);
        var peaks = new List<int>();
        for (var i = 1; i < n - 1; i++)
        {
            if (filtered[i] >= threshold && filtered[i] > filtered[i - 1] && filtered[i] >= filtered[i + 1])
            {
                peaks.Add(i);
            }
        }

        var distance = 0.3 * fs;
        var kept = new List<int>();
        foreach (var peak in peaks.OrderByDescending(p => filtered[p]))
        {
            if (kept.All(k => Math.Abs(k - peak) >= distance))
            {
                kept.Add(peak);
            }
        }

        return kept.Count;
    }
}

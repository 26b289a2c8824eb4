namespace NeuraScale.Signals.Epochs;

/// <summary>How epochs are cut around events, in MNE's terms.</summary>
/// <param name="TminS">Epoch start relative to the event, seconds (negative: before it).</param>
/// <param name="TmaxS">Epoch end relative to the event, seconds, inclusive.</param>
/// <param name="Baseline">Interval (seconds, relative to the event) whose mean is subtracted per channel; null for none.</param>
/// <param name="RejectPeakToPeak">Drop an epoch when any channel's peak-to-peak exceeds this (signal units); null to keep all.</param>
public sealed record EpochSettings(double TminS, double TmaxS, (double Start, double End)? Baseline, double? RejectPeakToPeak);

/// <summary>Why an event did not become an epoch.</summary>
/// <param name="EventIndex">Index of the event in the list given.</param>
/// <param name="Reason">Human-readable reason, e.g. "peak-to-peak 212.3 > 150 on Fp1".</param>
public sealed record DroppedEpoch(int EventIndex, string Reason);

/// <summary>Epochs cut from a recording: <c>Data[epoch][channel][time]</c>.</summary>
/// <param name="Times">Time of each epoch sample relative to its event, seconds.</param>
/// <param name="Data">Epoch data, baseline-corrected when a baseline was given.</param>
/// <param name="Kept">Index (in the events given) of each epoch's event.</param>
/// <param name="Dropped">Events that gave no epoch, and why.</param>
public sealed record EpochSet(double[] Times, double[][][] Data, int[] Kept, IReadOnlyList<DroppedEpoch> Dropped);

/// <summary>
/// Cutting epochs around events as <c>mne.Epochs(raw, events, tmin=…, tmax=…, baseline=…, reject=…)</c> does: sample
/// offsets <c>round(tmin·fs)</c> to <c>round(tmax·fs)</c> inclusive, events whose epoch leaves the recording dropped,
/// the baseline mean over samples with <c>bmin ≤ t ≤ bmax</c> subtracted per channel, and an epoch dropped when any
/// channel's peak-to-peak amplitude exceeds the threshold.
/// </summary>
public static class Epoching
{
    /// <summary>Sample offsets of an epoch relative to its event: <c>[round(tmin·fs), round(tmax·fs)]</c>.</summary>
    public static (int First, int Last) Offsets(double tminS, double tmaxS, double samplingRateHz) =>
        ((int)Math.Round(tminS * samplingRateHz, MidpointRounding.ToEven), (int)Math.Round(tmaxS * samplingRateHz, MidpointRounding.ToEven));

    /// <param name="data">Recording, <c>data[channel][sample]</c>.</param>
    /// <param name="events">Event sample indices into <paramref name="data"/>.</param>
    /// <param name="samplingRateHz">Sampling rate, Hz.</param>
    /// <param name="settings">Window, baseline and rejection.</param>
    /// <param name="channelNames">Names used in rejection reasons.</param>
    /// <exception cref="ArgumentException">tmax ≤ tmin, or the baseline holds no sample of the epoch.</exception>
    public static EpochSet Extract(double[][] data, IReadOnlyList<long> events, double samplingRateHz, EpochSettings settings, IReadOnlyList<string> channelNames)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var (first, last) = Offsets(settings.TminS, settings.TmaxS, samplingRateHz);
        if (last <= first)
        {
            throw new SignalParameterException(nameof(settings), $"tmax ({settings.TmaxS} s) must be later than tmin ({settings.TminS} s) by at least one sample.");
        }

        var length = last - first + 1;
        var times = Enumerable.Range(first, length).Select(i => i / samplingRateHz).ToArray();
        var (bFrom, bTo) = BaselineIndices(times, settings.Baseline);
        var samples = data.Length == 0 ? 0 : data[0].Length;
        var epochs = new List<double[][]>();
        var kept = new List<int>();
        var dropped = new List<DroppedEpoch>();
        for (var e = 0; e < events.Count; e++)
        {
            var start = events[e] + first;
            if (start < 0 || events[e] + last >= samples)
            {
                dropped.Add(new DroppedEpoch(e, "the epoch extends beyond the recorded data"));
                continue;
            }

            var epoch = new double[data.Length][];
            string? rejection = null;
            for (var c = 0; c < data.Length; c++)
            {
                var row = data[c].AsSpan((int)start, length).ToArray();
                if (bFrom >= 0)
                {
                    var mean = 0.0;
                    for (var i = bFrom; i <= bTo; i++)
                    {
                        mean += row[i];
                    }

                    mean /= bTo - bFrom + 1;
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] -= mean;
                    }
                }

                if (settings.RejectPeakToPeak is { } threshold && rejection is null)
                {
                    var peakToPeak = row.Max() - row.Min();
                    if (peakToPeak > threshold)
                    {
                        rejection = FormattableString.Invariant($"peak-to-peak {peakToPeak:0.#} > {threshold:0.#} on {channelNames[c]}");
                    }
                }

                epoch[c] = row;
            }

            if (rejection is not null)
            {
                dropped.Add(new DroppedEpoch(e, rejection));
                continue;
            }

            epochs.Add(epoch);
            kept.Add(e);
        }

        return new EpochSet(times, epochs.ToArray(), kept.ToArray(), dropped);
    }

    /// <summary>First and last epoch sample inside the baseline interval (MNE's rescale), or (−1, −1) for none.</summary>
    private static (int From, int To) BaselineIndices(double[] times, (double Start, double End)? baseline)
    {
        if (baseline is not { } b)
        {
            return (-1, -1);
        }

        // A tiny tolerance so that an interval given in seconds includes the samples that fall exactly on its edges.
        var from = Array.FindIndex(times, t => t >= b.Start - 1e-9);
        var to = Array.FindLastIndex(times, t => t <= b.End + 1e-9);
        if (from < 0 || to < from)
        {
            throw new SignalParameterException(nameof(baseline), $"The baseline {b.Start}–{b.End} s holds no sample of the epoch ({times[0]:0.###}–{times[^1]:0.###} s).");
        }

        return (from, to);
    }
}

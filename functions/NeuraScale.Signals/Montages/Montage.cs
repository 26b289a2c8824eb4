namespace NeuraScale.Signals.Montages;

/// <summary>How EEG traces are derived from the recorded channels, as an EEG reader chooses them.</summary>
public enum MontageKind
{
    /// <summary>As recorded: each channel against the amplifier's reference.</summary>
    Referential,

    /// <summary>Each EEG channel minus the mean of all EEG channels (MNE's <c>set_eeg_reference('average')</c>); other channels unchanged.</summary>
    AverageReference,

    /// <summary>
    /// Longitudinal bipolar, the "double banana": front to back along the left and right temporal chains, the left and
    /// right parasagittal chains and the midline (Fp1-F7, F7-T7, T7-P7, P7-O1; Fp2-F8 …; Fp1-F3, F3-C3, C3-P3, P3-O1;
    /// Fp2-F4 …; Fz-Cz, Cz-Pz), each pair where both electrodes were recorded (the older names T3/T4/T5/T6 for
    /// T7/T8/P7/P8 are accepted), as MNE's <c>set_bipolar_reference(anode, cathode)</c>.
    /// </summary>
    LongitudinalBipolar,
}

/// <summary>One derived trace: <see cref="Positive"/> minus <see cref="Negative"/>, or minus the EEG mean, or as recorded.</summary>
/// <param name="Name">The trace's label, e.g. "Fp1-F7", "O1-avg" or "O1".</param>
/// <param name="Positive">Index of the recorded channel the trace starts from.</param>
/// <param name="Negative">Index of the channel subtracted (bipolar), or null.</param>
/// <param name="MinusAverage">Whether the mean of the EEG channels is subtracted (average reference).</param>
public sealed record Derivation(string Name, int Positive, int? Negative, bool MinusAverage);

/// <summary>
/// Montages over recorded channels: which traces a montage shows (<see cref="Plan"/>) and their samples
/// (<see cref="Apply"/>). Names are matched case-insensitively as 10-20/10-10 positions; normalise labels from files first
/// (e.g. EEGMMIDB's "Fp1." → "Fp1").
/// </summary>
public static class Montage
{
    // Chains front to back: left temporal, right temporal, left parasagittal, right parasagittal, midline.
    private static readonly string[][] DoubleBanana =
    [
        ["Fp1", "F7", "T7", "P7", "O1"],
        ["Fp2", "F8", "T8", "P8", "O2"],
        ["Fp1", "F3", "C3", "P3", "O1"],
        ["Fp2", "F4", "C4", "P4", "O2"],
        ["Fz", "Cz", "Pz"],
    ];

    // 10-10 names and the 10-20 names older systems write for the same positions.
    private static readonly Dictionary<string, string> OlderName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["T7"] = "T3", ["T8"] = "T4", ["P7"] = "T5", ["P8"] = "T6",
    };

    /// <summary>The traces <paramref name="kind"/> shows for these channels, in reading order.</summary>
    /// <param name="names">Recorded channel names (10-20/10-10 spelling for EEG positions).</param>
    /// <param name="isEeg">Which channels are EEG (the average is taken over these; ECG, EOG … keep their own reference).</param>
    /// <exception cref="ArgumentException">The lists differ in length, or the montage has no trace for these channels.</exception>
    public static IReadOnlyList<Derivation> Plan(MontageKind kind, IReadOnlyList<string> names, IReadOnlyList<bool> isEeg)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(isEeg);
        if (names.Count != isEeg.Count)
        {
            throw new ArgumentException($"{names.Count} channel name(s) but {isEeg.Count} EEG flag(s).", nameof(isEeg));
        }

        switch (kind)
        {
            case MontageKind.Referential:
                return names.Select((n, i) => new Derivation(n, i, null, false)).ToArray();
            case MontageKind.AverageReference:
                if (!isEeg.Any(e => e))
                {
                    throw new ArgumentException("An average reference needs EEG channels; this recording has none.", nameof(isEeg));
                }

                return names.Select((n, i) => new Derivation(isEeg[i] ? n + "-avg" : n, i, null, isEeg[i])).ToArray();
            case MontageKind.LongitudinalBipolar:
                var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < names.Count; i++)
                {
                    if (isEeg[i])
                    {
                        index.TryAdd(names[i], i);
                    }
                }

                int? Find(string position) =>
                    index.TryGetValue(position, out var i) ? i
                    : OlderName.TryGetValue(position, out var older) && index.TryGetValue(older, out var j) ? j
                    : null;
                var plan = new List<Derivation>();
                foreach (var chain in DoubleBanana)
                {
                    for (var k = 0; k + 1 < chain.Length; k++)
                    {
                        if (Find(chain[k]) is { } anode && Find(chain[k + 1]) is { } cathode)
                        {
                            plan.Add(new Derivation($"{names[anode]}-{names[cathode]}", anode, cathode, false));
                        }
                    }
                }

                if (plan.Count == 0)
                {
                    throw new ArgumentException("A longitudinal bipolar montage needs neighbouring 10-20 electrodes (e.g. Fp1 and F7, or Fz and Cz); this recording has none. Use the referential or average-reference montage.", nameof(names));
                }

                return plan;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown montage.");
        }
    }

    /// <summary>
    /// Writes each derivation's first <paramref name="count"/> samples into <paramref name="outputs"/> (one per
    /// derivation). The average is the mean of the channels flagged EEG, sample by sample.
    /// </summary>
    /// <exception cref="ArgumentException">Buffers are missing or shorter than <paramref name="count"/>.</exception>
    public static void Apply(IReadOnlyList<Derivation> plan, IReadOnlyList<double[]> channels, IReadOnlyList<bool> isEeg, int count, IReadOnlyList<double[]> outputs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(isEeg);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count != plan.Count || channels.Count != isEeg.Count)
        {
            throw new ArgumentException($"{plan.Count} derivation(s) need as many outputs (got {outputs.Count}); {channels.Count} channel(s) need as many EEG flags (got {isEeg.Count}).", nameof(outputs));
        }

        if (channels.Any(c => c.Length < count) || outputs.Any(o => o.Length < count))
        {
            throw new ArgumentException($"Every channel and output must hold {count} samples.", nameof(channels));
        }

        double[]? average = null;
        if (plan.Any(d => d.MinusAverage))
        {
            average = new double[count];
            var eeg = Enumerable.Range(0, channels.Count).Where(c => isEeg[c]).ToArray();
            foreach (var c in eeg)
            {
                var x = channels[c];
                for (var i = 0; i < count; i++)
                {
                    average[i] += x[i];
                }
            }

            for (var i = 0; i < count; i++)
            {
                average[i] /= eeg.Length;
            }
        }

        for (var d = 0; d < plan.Count; d++)
        {
            var derivation = plan[d];
            var positive = channels[derivation.Positive].AsSpan(0, count);
            var output = outputs[d].AsSpan(0, count);
            ReadOnlySpan<double> subtracted = derivation.Negative is { } negative ? channels[negative].AsSpan(0, count)
                : derivation.MinusAverage ? average
                : default;
            if (subtracted.IsEmpty)
            {
                positive.CopyTo(output);
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                output[i] = positive[i] - subtracted[i];
            }
        }
    }
}

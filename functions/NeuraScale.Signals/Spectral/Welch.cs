using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuraScale.Signals.Spectral;

/// <summary>How a power spectrum is scaled, as <c>scipy.signal.welch</c>'s <c>scaling</c>.</summary>
public enum PsdScaling
{
    /// <summary>Power spectral density, V²/Hz (µV²/Hz for µV input): integrates to the signal's variance.</summary>
    Density,

    /// <summary>Power spectrum, V²: a sinusoid's bin reads its mean power (amplitude²/2).</summary>
    Spectrum,
}

/// <summary>
/// Welch's averaged periodogram, equal to <c>scipy.signal.welch(x, fs, window='hann', nperseg, noverlap,
/// detrend='constant', scaling)</c>: periodic Hann window, segment mean removed, one-sided, mean over segments.
/// </summary>
public static class Welch
{
    // Four lanes × two segments (real and imaginary part) per four-lane FFT.
    private const int SegmentsPerLaneGroup = 8;

    /// <summary>Number of one-sided frequency bins for a segment length: <c>n/2 + 1</c>.</summary>
    public static int BinCount(int segmentLength) => (segmentLength / 2) + 1;

    /// <summary>Bin frequencies in Hz, <c>k · fs / n</c> (numpy's rfftfreq).</summary>
    public static double[] Frequencies(int segmentLength, double samplingRateHz)
    {
        var bins = new double[BinCount(segmentLength)];
        for (var k = 0; k < bins.Length; k++)
        {
            bins[k] = k * samplingRateHz / segmentLength;
        }

        return bins;
    }

    /// <summary>Computes the one-sided PSD of <paramref name="signal"/> into <paramref name="destination"/>.</summary>
    /// <param name="signal">Samples; at least <paramref name="segmentLength"/> of them.</param>
    /// <param name="samplingRateHz">Sampling rate, &gt; 0.</param>
    /// <param name="segmentLength">Samples per segment (scipy's nperseg), ≥ 2; also the FFT length.</param>
    /// <param name="overlap">Samples shared by consecutive segments (noverlap), 0 ≤ overlap &lt; segmentLength; scipy's default is half.</param>
    /// <param name="scaling">Density (per Hz) or spectrum.</param>
    /// <param name="destination">Receives <see cref="BinCount"/> values.</param>
    /// <exception cref="ArgumentException">A length or parameter is outside the ranges above.</exception>
    public static void Psd(ReadOnlySpan<double> signal, double samplingRateHz, int segmentLength, int overlap, PsdScaling scaling, Span<double> destination)
    {
        if (!(samplingRateHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRateHz), samplingRateHz, "the sampling rate must be a positive number of Hz.");
        }

        if (segmentLength < 2 || segmentLength > signal.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentLength), segmentLength, $"the segment length must be between 2 and the signal length ({signal.Length} samples).");
        }

        if (overlap < 0 || overlap >= segmentLength)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, $"the overlap must be between 0 and {segmentLength - 1} samples (segment length − 1).");
        }

        if (destination.Length != BinCount(segmentLength))
        {
            throw new ArgumentException($"destination must hold {BinCount(segmentLength)} bins for a segment of {segmentLength}; it holds {destination.Length}.", nameof(destination));
        }

        var window = PeriodicHann(segmentLength);
        double sumSquares = 0, sum = 0;
        foreach (var w in window)
        {
            sum += w;
            sumSquares += w * w;
        }

        var scale = scaling == PsdScaling.Density ? 1.0 / (samplingRateHz * sumSquares) : 1.0 / (sum * sum);
        var step = segmentLength - overlap;
        var segments = (signal.Length - overlap) / step;
        destination.Clear();
        var first = segments >= SegmentsPerLaneGroup && LaneFft.Supports(segmentLength)
            ? AccumulateLaneGroups(signal, window, step, segments, scale, destination)
            : 0;
        var buffer = new Complex[segmentLength];

        // Two real segments per complex FFT: a in the real part, b in the imaginary part; their spectra separate as
        // A[k] = (Z[k] + conj Z[N−k]) / 2 and B[k] = (Z[k] − conj Z[N−k]) / 2i. Half the transforms, same result.
        for (var s = first; s < segments; s += 2)
        {
            var pair = s + 1 < segments;
            var a = signal.Slice(s * step, segmentLength);
            var meanA = Mean(a);
            var meanB = pair ? Mean(signal.Slice((s + 1) * step, segmentLength)) : 0;
            var b = pair ? signal.Slice((s + 1) * step, segmentLength) : default;
            for (var i = 0; i < segmentLength; i++)
            {
                buffer[i] = new Complex((a[i] - meanA) * window[i], pair ? (b[i] - meanB) * window[i] : 0);
            }

            Fft.Forward(buffer);
            for (var k = 0; k < destination.Length; k++)
            {
                var z = buffer[k];
                var mirror = Complex.Conjugate(buffer[k == 0 ? 0 : segmentLength - k]);
                var fa = (z + mirror) * 0.5;
                var power = (fa.Real * fa.Real) + (fa.Imaginary * fa.Imaginary);
                if (pair)
                {
                    var fb = (z - mirror) * 0.5; // = i·B[k]; its magnitude is |B[k]|
                    power += (fb.Real * fb.Real) + (fb.Imaginary * fb.Imaginary);
                }

                destination[k] += power * scale;
            }
        }

        // One-sided: fold the negative frequencies in, except DC and (for even lengths) Nyquist, which have no twin.
        var last = segmentLength % 2 == 0 ? destination.Length - 1 : destination.Length;
        for (var k = 0; k < destination.Length; k++)
        {
            var fold = k > 0 && k < last ? 2.0 : 1.0;
            destination[k] = destination[k] * fold / segments;
        }
    }

    /// <summary>
    /// Psd of every channel (each <paramref name="signals"/>[c] into <paramref name="destinations"/>[c]), channels on
    /// all cores: the multichannel entry point the analyses use.
    /// </summary>
    public static void Psd(IReadOnlyList<double[]> signals, double samplingRateHz, int segmentLength, int overlap, PsdScaling scaling, IReadOnlyList<double[]> destinations, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(destinations);
        if (signals.Count != destinations.Count)
        {
            throw new ArgumentException($"{signals.Count} channel(s) but {destinations.Count} destination(s).", nameof(destinations));
        }

        Parallel.For(0, signals.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
            Psd(signals[c], samplingRateHz, segmentLength, overlap, scaling, destinations[c]));
    }

    /// <summary>
    /// Whole groups of eight segments, four pairs at a time through <see cref="LaneFft"/>: lane l holds segment
    /// s + 2l in its real part and s + 2l + 1 in its imaginary part, exactly the pairs the scalar loop makes, and each
    /// lane's power is added to the destination in segment order — so the result is bit-identical to the scalar loop.
    /// Returns the first segment not consumed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AccumulateLaneGroups(ReadOnlySpan<double> signal, double[] window, int step, int segments, double scale, Span<double> destination)
    {
        var n = window.Length;
        var buffer = ArrayPool<Complex4>.Shared.Rent(n);
        var scratch = ArrayPool<Complex4>.Shared.Rent(n);
        try
        {
            var data = buffer.AsSpan(0, n);
            var half = Vector256.Create(0.5);
            var scaleVector = Vector256.Create(scale);
            Span<double> means = stackalloc double[SegmentsPerLaneGroup];
            Span<int> starts = stackalloc int[SegmentsPerLaneGroup];
            var s = 0;
            for (; s + SegmentsPerLaneGroup <= segments; s += SegmentsPerLaneGroup)
            {
                for (var j = 0; j < SegmentsPerLaneGroup; j++)
                {
                    starts[j] = (s + j) * step;
                    means[j] = Mean(signal.Slice(starts[j], n));
                }

                var meanRe = Vector256.Create(means[0], means[2], means[4], means[6]);
                var meanIm = Vector256.Create(means[1], means[3], means[5], means[7]);
                for (var i = 0; i < n; i++)
                {
                    var w = Vector256.Create(window[i]);
                    var re = Vector256.Create(signal[starts[0] + i], signal[starts[2] + i], signal[starts[4] + i], signal[starts[6] + i]);
                    var im = Vector256.Create(signal[starts[1] + i], signal[starts[3] + i], signal[starts[5] + i], signal[starts[7] + i]);
                    data[i] = new Complex4((re - meanRe) * w, (im - meanIm) * w);
                }

                LaneFft.Forward(data, scratch);
                for (var k = 0; k < destination.Length; k++)
                {
                    var z = data[k];
                    var mirror = data[k == 0 ? 0 : n - k];
                    var mirrorIm = -mirror.Im; // the conjugate
                    var faRe = (z.Re + mirror.Re) * half;
                    var faIm = (z.Im + mirrorIm) * half;
                    var power = (faRe * faRe) + (faIm * faIm);
                    var fbRe = (z.Re - mirror.Re) * half;
                    var fbIm = (z.Im - mirrorIm) * half;
                    power += (fbRe * fbRe) + (fbIm * fbIm);
                    var scaled = power * scaleVector;
                    var sum = destination[k];
                    sum += scaled.GetElement(0);
                    sum += scaled.GetElement(1);
                    sum += scaled.GetElement(2);
                    sum += scaled.GetElement(3);
                    destination[k] = sum;
                }
            }

            return s;
        }
        finally
        {
            ArrayPool<Complex4>.Shared.Return(buffer);
            ArrayPool<Complex4>.Shared.Return(scratch);
        }
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    /// <summary>Periodic ("DFT-even") Hann window, <c>0.5 − 0.5·cos(2πn/N)</c>: scipy's get_window('hann', N).</summary>
    public static double[] PeriodicHann(int length)
    {
        var w = new double[length];
        for (var n = 0; n < length; n++)
        {
            w[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / length));
        }

        return w;
    }
}

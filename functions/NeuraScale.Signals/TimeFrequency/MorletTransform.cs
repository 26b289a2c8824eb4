using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace NeuraScale.Signals.TimeFrequency;

/// <summary>
/// Complex Morlet wavelet time-frequency power, equal to <c>mne.time_frequency.tfr_array_morlet(data, sfreq, freqs,
/// n_cycles, zero_mean=False, use_fft=True, decim, output='avg_power')</c>: one wavelet per frequency with
/// σ_t = n_cycles / (2πf), sampled over ±5σ_t and normalised to ‖W‖ = √2 (MNE's <c>morlet</c>), convolved with
/// each signal ("same" length), squared magnitude, every decim-th sample, averaged over epochs.
/// </summary>
public static class MorletTransform
{
    /// <summary>MNE's Morlet wavelets for each frequency.</summary>
    /// <exception cref="ArgumentException">A frequency or cycle count is not positive, or the lengths differ.</exception>
    public static Complex[][] Wavelets(double samplingRateHz, IReadOnlyList<double> frequencies, IReadOnlyList<double> cycles)
    {
        if (cycles.Count != 1 && cycles.Count != frequencies.Count)
        {
            throw new SignalParameterException(nameof(cycles), $"n_cycles must be one number or one per frequency ({frequencies.Count}); got {cycles.Count}.");
        }

        var wavelets = new Complex[frequencies.Count][];
        for (var k = 0; k < frequencies.Count; k++)
        {
            var f = frequencies[k];
            var n = cycles.Count == 1 ? cycles[0] : cycles[k];
            if (!(f > 0) || !(n > 0))
            {
                throw new SignalParameterException(nameof(frequencies), $"Frequencies and cycle counts must be positive; got {f} Hz with {n} cycles.");
            }

            var sigma = n / (2.0 * Math.PI * f);
            // t = arange(0, 5σ, 1/fs) (numpy's length: ceil(stop / step)), mirrored: odd length centred on t = 0.
            var step = 1.0 / samplingRateHz;
            var half = (int)Math.Ceiling(5.0 * sigma / step);
            var w = new Complex[(2 * half) - 1];
            double norm = 0;
            for (var i = 0; i < w.Length; i++)
            {
                var t = Math.Abs(i - (half - 1)) * step * Math.Sign(i - (half - 1));
                var value = Complex.Exp(new Complex(0, 2.0 * Math.PI * f * t)) * Math.Exp(-(t * t) / (2.0 * sigma * sigma));
                w[i] = value;
                norm += (value.Real * value.Real) + (value.Imaginary * value.Imaginary);
            }

            var scale = Math.Sqrt(0.5) * Math.Sqrt(norm);
            for (var i = 0; i < w.Length; i++)
            {
                w[i] /= scale;
            }

            wavelets[k] = w;
        }

        return wavelets;
    }

    /// <summary>
    /// Average power over epochs, <c>[channel][frequency][time]</c>, with times decimated (every decim-th sample from the first).
    /// </summary>
    /// <param name="epochs"><c>epochs[epoch][channel][time]</c>.</param>
    /// <param name="wavelets">From <see cref="Wavelets"/>.</param>
    /// <param name="decim">Keep every decim-th time sample, ≥ 1.</param>
    /// <exception cref="ArgumentException">A wavelet is longer than the epochs (MNE refuses these too), or decim &lt; 1.</exception>
    public static double[][][] AveragePower(double[][][] epochs, Complex[][] wavelets, int decim)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Length == 0)
        {
            throw new ArgumentException("There are no epochs to transform.", nameof(epochs));
        }

        if (decim < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decim), decim, "decim must be at least 1.");
        }

        var channels = epochs[0].Length;
        var samples = epochs[0][0].Length;
        var longest = wavelets.Max(w => w.Length);
        if (longest > samples)
        {
            throw new SignalParameterException(nameof(wavelets), $"At least one wavelet ({longest} samples) is longer than the signal ({samples} samples); use fewer cycles, higher frequencies or longer epochs.");
        }

        var outTimes = ((samples - 1) / decim) + 1;
        var size = 1;
        while (size < samples + longest - 1)
        {
            size <<= 1;
        }

        var spectra = wavelets.Select(w => Spectrum(w, size)).ToArray();
        var power = new double[channels][][];
        Parallel.For(0, channels, c =>
        {
            var sum = new double[wavelets.Length][];
            for (var k = 0; k < wavelets.Length; k++)
            {
                sum[k] = new double[outTimes];
            }

            var signal = new Complex[size];
            var product = new Complex[size];
            foreach (var epoch in epochs)
            {
                Array.Clear(signal);
                for (var i = 0; i < samples; i++)
                {
                    signal[i] = new Complex(epoch[c][i], 0);
                }

                Fourier.Forward(signal, FourierOptions.NoScaling);
                for (var k = 0; k < wavelets.Length; k++)
                {
                    var spectrum = spectra[k];
                    for (var j = 0; j < size; j++)
                    {
                        product[j] = signal[j] * spectrum[j];
                    }

                    Fourier.Inverse(product, FourierOptions.NoScaling);

                    // "same" convolution: the full result shifted by half the wavelet; the FFT is unscaled, hence /size.
                    var offset = (wavelets[k].Length - 1) / 2;
                    for (var t = 0; t < outTimes; t++)
                    {
                        var v = product[offset + (t * decim)] / size;
                        sum[k][t] += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
                    }
                }
            }

            for (var k = 0; k < wavelets.Length; k++)
            {
                for (var t = 0; t < outTimes; t++)
                {
                    sum[k][t] /= epochs.Length;
                }
            }

            power[c] = sum;
        });
        return power;
    }

    private static Complex[] Spectrum(Complex[] wavelet, int size)
    {
        var padded = new Complex[size];
        wavelet.CopyTo(padded, 0);
        Fourier.Forward(padded, FourierOptions.NoScaling);
        return padded;
    }
}

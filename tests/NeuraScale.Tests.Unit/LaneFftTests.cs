using System.Numerics;
using System.Runtime.Intrinsics;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Tests.Unit;

/// <summary>
/// The four-lane FFT and the Welch loop built on it give the scalar transform's bits (the scalar FFT is checked against
/// the direct DFT in <see cref="FftTests"/>, Welch against SciPy in the interop tests).
/// </summary>
public sealed class LaneFftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(210)]  // 2·3·5·7: every butterfly
    [InlineData(256)]
    [InlineData(441)]  // 3²·7²
    [InlineData(1000)]
    [InlineData(2000)]
    public void EveryLane_EqualsTheScalarFft_BitForBit(int n)
    {
        var rng = new Random(n);
        var lanes = Enumerable.Range(0, 4)
            .Select(_ => Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, (rng.NextDouble() - 0.5) * 1e3)).ToArray())
            .ToArray();
        var data = new Complex4[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = new Complex4(
                Vector256.Create(lanes[0][i].Real, lanes[1][i].Real, lanes[2][i].Real, lanes[3][i].Real),
                Vector256.Create(lanes[0][i].Imaginary, lanes[1][i].Imaginary, lanes[2][i].Imaginary, lanes[3][i].Imaginary));
        }

        LaneFft.Forward(data, new Complex4[n]);

        for (var l = 0; l < 4; l++)
        {
            var expected = (Complex[])lanes[l].Clone();
            Fft.Forward(expected);
            for (var k = 0; k < n; k++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected[k].Real) == BitConverter.DoubleToInt64Bits(data[k].Re.GetElement(l))
                    && BitConverter.DoubleToInt64Bits(expected[k].Imaginary) == BitConverter.DoubleToInt64Bits(data[k].Im.GetElement(l)),
                    $"n = {n}, lane {l}, bin {k}: {expected[k]} vs ({data[k].Re.GetElement(l)}, {data[k].Im.GetElement(l)})");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(1009)]
    public void LengthsWithoutAPlan_AreRefused(int n)
    {
        Assert.False(LaneFft.Supports(n));
        var error = Assert.Throws<ArgumentException>(() => LaneFft.Forward(new Complex4[n], new Complex4[n]));
        Assert.Contains("2, 3, 5 or 7", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000, 1000, 20_001)]  // 19 segments: two lane groups and a scalar remainder of three (a pair and a single)
    [InlineData(256, 128, 2_048)]     // 15 segments
    [InlineData(250, 0, 2_000)]       // 8 segments, no overlap: exactly one group
    [InlineData(500, 250, 1_700)]     // 5 segments: scalar only
    [InlineData(1001, 500, 9_000)]    // odd length: no plan, Bluestein per pair
    public void Welch_EqualsTheScalarPairLoop_BitForBit(int segment, int overlap, int length)
    {
        var rng = new Random(segment + length);
        var x = Enumerable.Range(0, length).Select(i => (40 * (rng.NextDouble() - 0.5)) + (20 * Math.Sin(2 * Math.PI * 10 * i / 250)) + 7).ToArray();
        var actual = new double[Welch.BinCount(segment)];

        Welch.Psd(x, 250, segment, overlap, PsdScaling.Density, actual);

        var expected = ScalarWelch(x, 250, segment, overlap);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"largest difference {expected.Select((e, k) => Math.Abs(e - actual[k])).Max():E2}");
    }

    [Fact]
    public void Welch_ManyChannels_EqualsOneChannelAtATime()
    {
        var rng = new Random(3);
        var signals = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, 5_000).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var together = signals.Select(_ => new double[Welch.BinCount(500)]).ToArray();

        Welch.Psd(signals, 250, 500, 250, PsdScaling.Spectrum, together);

        for (var c = 0; c < signals.Length; c++)
        {
            var alone = new double[Welch.BinCount(500)];
            Welch.Psd(signals[c], 250, 500, 250, PsdScaling.Spectrum, alone);
            Assert.Equal(alone, together[c]);
        }
    }

    /// <summary>The documented algorithm, written out plainly: consecutive pairs of windowed, mean-removed segments per complex FFT.</summary>
    private static double[] ScalarWelch(double[] x, double fs, int n, int overlap)
    {
        var window = Welch.PeriodicHann(n);
        var scale = 1.0 / (fs * window.Sum(w => w * w));
        var step = n - overlap;
        var segments = (x.Length - overlap) / step;
        var psd = new double[Welch.BinCount(n)];
        var buffer = new Complex[n];
        for (var s = 0; s < segments; s += 2)
        {
            var pair = s + 1 < segments;
            var a = x.AsSpan(s * step, n);
            var b = pair ? x.AsSpan((s + 1) * step, n) : default;
            var meanA = Mean(a);
            var meanB = pair ? Mean(b) : 0;
            for (var i = 0; i < n; i++)
            {
                buffer[i] = new Complex((a[i] - meanA) * window[i], pair ? (b[i] - meanB) * window[i] : 0);
            }

            Fft.Forward(buffer);
            for (var k = 0; k < psd.Length; k++)
            {
                var z = buffer[k];
                var mirror = Complex.Conjugate(buffer[k == 0 ? 0 : n - k]);
                var fa = (z + mirror) * 0.5;
                var power = (fa.Real * fa.Real) + (fa.Imaginary * fa.Imaginary);
                if (pair)
                {
                    var fb = (z - mirror) * 0.5;
                    power += (fb.Real * fb.Real) + (fb.Imaginary * fb.Imaginary);
                }

                psd[k] += power * scale;
            }
        }

        var last = n % 2 == 0 ? psd.Length - 1 : psd.Length;
        for (var k = 0; k < psd.Length; k++)
        {
            psd[k] = psd[k] * (k > 0 && k < last ? 2.0 : 1.0) / segments;
        }

        return psd;
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
}

using NeuraScale.Signals.Filters;

namespace NeuraScale.Tests.Unit;

/// <summary>The SIMD, many-channel sosfiltfilt gives the scalar kernel's bits on every channel (SciPy checks the scalar one).</summary>
public sealed class MultichannelZeroPhaseTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(4, 777)]
    [InlineData(7, 5000)]
    [InlineData(13, 200)]
    public void EveryChannel_EqualsTheScalarKernel_BitForBit(int channels, int samples)
    {
        var rng = new Random(channels * 1000 + samples);
        var sos = ButterworthDesign.Design(4, FilterKind.BandPass, 250, 1, 40).Then(NotchDesign.Notch(50, 30, 250));
        var inputs = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, samples).Select(i => (100 * (rng.NextDouble() - 0.5)) + (c * 10) + Math.Sin(i * 0.1 * (c + 1))).ToArray()).ToArray();
        var outputs = inputs.Select(x => new double[x.Length]).ToArray();

        MultichannelZeroPhase.Filter(sos, inputs, outputs);

        for (var c = 0; c < channels; c++)
        {
            var expected = new double[samples];
            sos.FilterZeroPhase(inputs[c], expected);
            Assert.True(expected.AsSpan().SequenceEqual(outputs[c]), $"channel {c} of {channels}");
        }
    }

    [Fact]
    public void InPlace_IsAllowed()
    {
        var sos = ButterworthDesign.Design(2, FilterKind.LowPass, 100, 10);
        var x = Enumerable.Range(0, 300).Select(i => Math.Sin(i * 0.7) + (i % 7)).ToArray();
        var expected = new double[x.Length];
        sos.FilterZeroPhase(x, expected);

        MultichannelZeroPhase.Filter(sos, [x], [x]);

        Assert.Equal(expected, x);
    }

    [Fact]
    public void BadShapes_AreRefusedWithWhatIsWrong()
    {
        var sos = ButterworthDesign.Design(4, FilterKind.LowPass, 250, 40);

        Assert.Contains("every channel must hold 100", Assert.Throws<ArgumentException>(() => MultichannelZeroPhase.Filter(sos, [new double[100], new double[99]], [new double[100], new double[100]])).Message, StringComparison.Ordinal);
        Assert.Contains("needs more than", Assert.Throws<ArgumentException>(() => MultichannelZeroPhase.Filter(sos, [new double[10]], [new double[10]])).Message, StringComparison.Ordinal);
        Assert.Contains("2 input channel(s) but 1 output", Assert.Throws<ArgumentException>(() => MultichannelZeroPhase.Filter(sos, [new double[100], new double[100]], [new double[100]])).Message, StringComparison.Ordinal);
    }
}

/// <summary>The SIMD block filter continues each channel's state exactly as the scalar kernel does, forward and backward.</summary>
public sealed class MultichannelFilterTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(5, false)]
    [InlineData(8, true)]
    [InlineData(11, true)]
    public void BlockAfterBlock_EqualsTheScalarKernel_BitForBit(int channels, bool backward)
    {
        var rng = new Random(channels);
        var sos = ButterworthDesign.Design(4, FilterKind.BandPass, 250, 1, 40).Then(NotchDesign.Notch(50, 30, 250));
        var blocks = new[] { 700, 1, 333 };
        var states = Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, 2 * sos.SectionCount).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var scalarStates = states.Select(s => (double[])s.Clone()).ToArray();
        foreach (var count in blocks)
        {
            var inputs = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, count + 5).Select(_ => (100 * rng.NextDouble()) + c).ToArray()).ToArray();
            var outputs = inputs.Select(x => new double[count + 9]).ToArray();

            MultichannelFilter.Filter(sos, inputs, outputs, states, count, backward);

            for (var c = 0; c < channels; c++)
            {
                var x = inputs[c][..count];
                if (backward)
                {
                    Array.Reverse(x);
                }

                var expected = new double[count];
                sos.Filter(x, expected, scalarStates[c]);
                if (backward)
                {
                    Array.Reverse(expected);
                }

                Assert.True(expected.AsSpan().SequenceEqual(outputs[c].AsSpan(0, count)), $"channel {c}, block of {count}");
                Assert.True(outputs[c].AsSpan(count).IndexOfAnyExcept(0.0) < 0, "nothing is written past the block");
                Assert.Equal(scalarStates[c], states[c]);
            }
        }
    }

    [Fact]
    public void InPlace_Backward_IsTheReversedPass()
    {
        var sos = ButterworthDesign.Design(2, FilterKind.HighPass, 100, 1);
        var x = Enumerable.Range(0, 500).Select(i => Math.Sin(i * 0.3) + (i % 11)).ToArray();
        var reversed = x.Reverse().ToArray();
        var expected = new double[x.Length];
        sos.Filter(reversed, expected, new double[2 * sos.SectionCount]);
        Array.Reverse(expected);

        MultichannelFilter.Filter(sos, [x], [x], [new double[2 * sos.SectionCount]], x.Length, backward: true);

        Assert.Equal(expected, x);
    }

    [Fact]
    public void MismatchedBuffers_AreRefused()
    {
        var sos = ButterworthDesign.Design(2, FilterKind.LowPass, 100, 10);
        var error = Assert.Throws<ArgumentException>(() => MultichannelFilter.Filter(sos, [new double[10]], [new double[5]], [new double[4]], 10));
        Assert.Contains("room for 5", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => MultichannelFilter.Filter(sos, [new double[10]], [new double[10]], [new double[3]], 10));
        Assert.Contains("2 per section", error.Message, StringComparison.Ordinal);
    }
}

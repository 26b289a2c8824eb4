using System.Numerics;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Tests.Unit;

public sealed class FftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    [InlineData(250)]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2000)]
    [InlineData(1024)]
    [InlineData(441)]   // 3²·7²
    [InlineData(1009)]  // prime: the Bluestein fallback
    public void Forward_EqualsTheDirectDft(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var expected = new Complex[n];
        for (var k = 0; k < n; k++)
        {
            var sum = Complex.Zero;
            for (var j = 0; j < n; j++)
            {
                sum += x[j] * Complex.Exp(new Complex(0, -2 * Math.PI * ((long)k * j % n) / n));
            }

            expected[k] = sum;
        }

        var actual = (Complex[])x.Clone();
        Fft.Forward(actual);

        var scale = expected.Max(e => e.Magnitude);
        var worst = expected.Select((e, k) => (e - actual[k]).Magnitude).Max();
        Assert.True(worst <= 1e-12 * scale * Math.Log2(n + 1), $"n = {n}: largest difference {worst:E2} (largest bin {scale:G4})");
    }
}

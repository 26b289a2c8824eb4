using NeuraScale.Signals;

namespace NeuraScale.Tests.Interop;

/// <summary>get_neural_data's downsampling against scipy.signal.decimate(ftype='fir', zero_phase=True).</summary>
public sealed class DecimationInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("decimate-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(2, 1000)]
    [InlineData(3, 1001)]
    [InlineData(4, 4097)]
    [InlineData(10, 2500)]
    [InlineData(16, 777)]
    public void FilterAndDownsample_EqualsScipyDecimate(int q, int length)
    {
        var rng = new Random(q * 7919);
        var x = Enumerable.Range(0, length).Select(i => (rng.NextDouble() - 0.5) * 100 + (30 * Math.Sin(i * 0.05))).ToArray();
        var input = Path.Combine(_dir, "x.f64");
        var output = Path.Combine(_dir, "y.f64");
        var tapsPath = Path.Combine(_dir, "taps.f64");
        PythonReference.WriteFloat64(input, x);

        PythonReference.Run("decimate_scipy.py", new { input, q, @out = output, taps = tapsPath });
        var expected = PythonReference.ReadFloat64(output);
        var scipyTaps = PythonReference.ReadFloat64(tapsPath);

        var taps = Decimation.AntiAliasTaps(q);
        Assert.Equal(scipyTaps.Length, taps.Length);
        for (var j = 0; j < taps.Length; j++)
        {
            Assert.True(Math.Abs(taps[j] - scipyTaps[j]) <= 1e-15, $"tap {j}: {taps[j]} vs SciPy {scipyTaps[j]}");
        }

        var ours = new double[(length + q - 1) / q];
        Decimation.FilterAndDownsample(x, taps, 0, q, ours);
        Assert.Equal(expected.Length, ours.Length);
        var scale = expected.Max(Math.Abs);
        for (var k = 0; k < ours.Length; k++)
        {
            Assert.True(Math.Abs(ours[k] - expected[k]) <= 1e-12 * scale, $"output {k}: {ours[k]} vs SciPy {expected[k]}");
        }
    }
}

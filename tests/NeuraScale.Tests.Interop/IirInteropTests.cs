using NeuraScale.Signals.Filters;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// Butterworth sections, causal and zero-phase filtering and notches against SciPy on the same input, in one Python
/// run: scipy.signal.butter(output='sos'), sosfilt, sosfiltfilt, iirnotch with lfilter/filtfilt.
/// </summary>
public sealed class IirInteropTests : IDisposable
{
    private const double Tolerance = 1e-9;
    private readonly string _dir = Directory.CreateTempSubdirectory("iir-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly (string Kind, int Order, double Fs, double Low, double High)[] ButterCases =
    [
        ("lowpass", 4, 250, 40, double.NaN),
        ("lowpass", 1, 200, 30, double.NaN),
        ("lowpass", 7, 1000, 100, double.NaN),
        ("highpass", 2, 1000, 0.5, double.NaN),
        ("highpass", 5, 160, 1, double.NaN),
        ("bandpass", 4, 256, 1, 40),
        ("bandpass", 3, 500, 8, 13),
        ("bandpass", 10, 1000, 0.5, 45),
        ("bandstop", 2, 1000, 48, 52),
        ("bandstop", 5, 500, 58, 62),
    ];

    private static readonly (double Freq, double Q, double Fs)[] NotchCases = [(50, 30, 1000), (60, 35, 256), (100, 10, 500)];

    [Fact]
    public void ButterworthAndNotch_EqualScipyOnTheSameInput()
    {
        var rng = new Random(20261125);
        var x = Enumerable.Range(0, 6000)
            .Select(i => (50 * (rng.NextDouble() - 0.5)) + (20 * Math.Sin(i * 0.31)) + (40 * Math.Sin(i * 0.0123)) + 15)
            .ToArray();
        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, x);

        var cases = ButterCases.Select((c, i) => (object)new
        {
            kind = c.Kind, order = c.Order, fs = c.Fs, low = c.Low, high = double.IsNaN(c.High) ? 0 : c.High,
            sos = Out(i, "sos"), zero_phase = Out(i, "zp"), causal = Out(i, "causal"),
        }).Concat(NotchCases.Select((c, j) => (object)new
        {
            kind = "notch", freq = c.Freq, q = c.Q, fs = c.Fs,
            sos = Out(100 + j, "sos"), zero_phase = Out(100 + j, "zp"), causal = Out(100 + j, "causal"),
        })).ToArray();
        PythonReference.Run("iir_scipy.py", new { input, cases });

        for (var i = 0; i < ButterCases.Length; i++)
        {
            var c = ButterCases[i];
            var label = $"butter({c.Order}, {c.Low}–{c.High} Hz, {c.Kind}, fs={c.Fs})";
            var sos = ButterworthDesign.Design(c.Order, Kind(c.Kind), c.Fs, c.Low, c.High);
            AssertCoefficients(PythonReference.ReadFloat64(Out(i, "sos")), sos.ToArray(), label);
            AssertSignal(PythonReference.ReadFloat64(Out(i, "causal")), Causal(sos, x), label + " sosfilt");
            AssertSignal(PythonReference.ReadFloat64(Out(i, "zp")), ZeroPhase(sos, x), label + " sosfiltfilt");
        }

        for (var j = 0; j < NotchCases.Length; j++)
        {
            var c = NotchCases[j];
            var label = $"iirnotch({c.Freq} Hz, Q={c.Q}, fs={c.Fs})";
            var sos = NotchDesign.Notch(c.Freq, c.Q, c.Fs);
            var ba = PythonReference.ReadFloat64(Out(100 + j, "sos"));
            var ours = sos.ToArray();
            AssertCoefficients(ba, [ours[0], ours[1], ours[2], ours[3], ours[4], ours[5]], label);
            AssertSignal(PythonReference.ReadFloat64(Out(100 + j, "causal")), Causal(sos, x), label + " lfilter");
            AssertSignal(PythonReference.ReadFloat64(Out(100 + j, "zp")), ZeroPhase(sos, x), label + " filtfilt");
        }
    }

    private string Out(int i, string what) => Path.Combine(_dir, $"{i}-{what}.f64");

    private static FilterKind Kind(string name) => name switch
    {
        "lowpass" => FilterKind.LowPass,
        "highpass" => FilterKind.HighPass,
        "bandpass" => FilterKind.BandPass,
        _ => FilterKind.BandStop,
    };

    private static double[] Causal(SecondOrderSections sos, double[] x)
    {
        var y = new double[x.Length];
        sos.Filter(x, y, new double[2 * sos.SectionCount]);
        return y;
    }

    /// <summary>The scalar kernel, after checking that the multichannel SIMD kernel gives the same bits on every lane.</summary>
    private static double[] ZeroPhase(SecondOrderSections sos, double[] x)
    {
        var y = new double[x.Length];
        sos.FilterZeroPhase(x, y);
        var lanes = Enumerable.Range(0, 5).Select(_ => new double[x.Length]).ToArray();
        MultichannelZeroPhase.Filter(sos, [x, x, x, x, x], lanes);
        Assert.All(lanes, lane => Assert.True(lane.AsSpan().SequenceEqual(y), "the multichannel kernel differs from the scalar one"));
        return y;
    }

    /// <summary>Each row's numerator and denominator compared relative to that polynomial's largest coefficient.</summary>
    private static void AssertCoefficients(double[] expected, double[] actual, string label)
    {
        Assert.True(expected.Length == actual.Length, $"{label}: {actual.Length / 6} sections, SciPy has {expected.Length / 6}");
        for (var start = 0; start < expected.Length; start += 3)
        {
            var scale = Math.Max(Math.Abs(expected[start]), Math.Max(Math.Abs(expected[start + 1]), Math.Abs(expected[start + 2])));
            Deviations.Record(label.StartsWith("iirnotch", StringComparison.Ordinal) ? "iirnotch coefficients" : "butter sos coefficients", Enumerable.Range(start, 3).Max(k => Math.Abs(actual[k] - expected[k])), scale);
            for (var k = start; k < start + 3; k++)
            {
                Assert.True(Math.Abs(actual[k] - expected[k]) <= Tolerance * scale, $"{label}: coefficient {k} is {actual[k]:R}, SciPy {expected[k]:R}");
            }
        }
    }

    private static void AssertSignal(double[] expected, double[] actual, string label)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Deviations.Record(label.Contains("sosfiltfilt", StringComparison.Ordinal) || label.Contains("filtfilt", StringComparison.Ordinal) ? "sosfiltfilt/filtfilt" : "sosfilt/lfilter", worst, scale);
        Assert.True(worst <= Tolerance * scale, $"{label}: largest difference {worst:E2} exceeds {Tolerance:E0} × {scale:G4}");
    }
}

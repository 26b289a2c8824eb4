using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Processing.Analysis;
using NeuraScale.Signals.Spectral;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// The Berger effect on the real recordings (PhysioNet EEGMMIDB S001, eyes open R01 / eyes closed R02): our EDF reader,
/// Welch and band power give exactly what MNE + SciPy give on the same files, computed in the run — and those figures
/// are the physiology: alpha dominates the occipital spectrum with the eyes closed and is attenuated with them open.
/// </summary>
public sealed class BergerInteropTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;
    private static readonly string[] Labels = ["O1..", "Oz..", "O2.."];

    [Fact]
    public void OccipitalAlpha_EqualsScipy_AndIsAttenuatedWithEyesOpen()
    {
        var files = new Dictionary<string, string> { ["open"] = RepositoryPaths.EegMmiDb("S001R01.edf"), ["closed"] = RepositoryPaths.EegMmiDb("S001R02.edf") };
        var reference = PythonReference.Run("berger_scipy.py", new { files, channels = Labels });

        foreach (var (condition, path) in files)
        {
            using var reader = EdfReader.Open(path);
            var fs = reader.Header.Signals[0].SamplesPerRecord / reader.Header.RecordDurationSeconds;
            var segment = (int)(2 * fs);
            var frequencies = Welch.Frequencies(segment, fs);
            foreach (var label in Labels)
            {
                var index = reader.Header.Signals.Select(s => s.Label).ToList().IndexOf(label);
                var x = reader.ReadPhysical(index, 0, (int)reader.Header.RecordCount);
                var psd = new double[Welch.BinCount(segment)];
                Welch.Psd(x, fs, segment, segment / 2, PsdScaling.Density, psd);
                var relative = SpectralMeasures.BandPower(frequencies, psd, 8, 13) / SpectralMeasures.BandPower(frequencies, psd, 1, 40);
                var searched = Enumerable.Range(0, psd.Length).Where(k => frequencies[k] >= 1 && frequencies[k] <= 40);
                var peak = frequencies[searched.MaxBy(k => psd[k])];

                var scipy = reference.GetProperty(condition).GetProperty(label);
                output.WriteLine($"{condition} {label}: relative alpha {relative:0.000} (SciPy {scipy.GetProperty("relative_alpha").GetDouble():0.000}), peak {peak:0.0} Hz (SciPy {scipy.GetProperty("peak_hz").GetDouble():0.0}), SD {scipy.GetProperty("sd_uv").GetDouble():0.0} µV");
                Assert.Equal(scipy.GetProperty("relative_alpha").GetDouble(), relative, Tolerance);
                Assert.Equal(scipy.GetProperty("peak_hz").GetDouble(), peak);
            }
        }

        // The physiology, in SciPy's figures: with the eyes closed the 10 Hz alpha rhythm dominates the occipital
        // spectrum (over half of the 1-40 Hz power, peak at 10 Hz); with them open it falls to a fraction of that.
        foreach (var label in Labels)
        {
            var closed = reference.GetProperty("closed").GetProperty(label);
            var open = reference.GetProperty("open").GetProperty(label);
            Assert.Equal(10.0, closed.GetProperty("peak_hz").GetDouble());
            Assert.InRange(closed.GetProperty("relative_alpha").GetDouble(), 0.5, 0.9);
            Assert.InRange(open.GetProperty("relative_alpha").GetDouble(), 0.05, 0.3);
            Assert.True(closed.GetProperty("relative_alpha").GetDouble() > 3 * open.GetProperty("relative_alpha").GetDouble());
            Assert.InRange(closed.GetProperty("sd_uv").GetDouble(), 20, 150);
        }
    }

    [Fact]
    public void SpectralAnalysis_ReportsTheEyesClosedAlphaPeak_AndOnlyWeakAlphaWithEyesOpen()
    {
        var summaries = new Dictionary<string, (SpectralResult Result, string Summary)>();
        foreach (var (condition, file) in new[] { ("closed", "S001R02.edf"), ("open", "S001R01.edf") })
        {
            using var reader = EdfReader.Open(RepositoryPaths.EegMmiDb(file));
            var fs = reader.Header.Signals[0].SamplesPerRecord / reader.Header.RecordDurationSeconds;
            var indices = Labels.Select(l => reader.Header.Signals.Select(s => s.Label).ToList().IndexOf(l)).ToArray();
            var data = indices.Select(i => reader.ReadPhysical(i, 0, (int)reader.Header.RecordCount)).ToArray();
            var input = new AnalysisInput(SessionId.New(), Labels.Select(l => new ChannelInfo(ElectrodeNames.Normalize(l), ChannelType.EEG, "uV")).ToArray(), data, fs, 0, []);
            var outcome = SpectralHandler.Run(input, new AnalysisParameters(null, "spectral"));
            summaries[condition] = (outcome.Sections.Spectral!, outcome.Summary);
            foreach (var c in outcome.Sections.Spectral!.Channels)
            {
                output.WriteLine($"{condition} {c.Channel}: alpha peak {c.PeakAlphaHz?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "none"} Hz, {c.AlphaPeakProminence?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}× trend");
            }

            output.WriteLine(outcome.Summary);
        }

        Assert.All(summaries["closed"].Result.Channels, c =>
        {
            Assert.InRange(c.PeakAlphaHz!.Value, 9.75, 10.25);
            Assert.True(c.AlphaPeakProminence > 10, $"{c.Channel}: {c.AlphaPeakProminence}× the trend");
        });
        Assert.All(summaries["open"].Result.Channels, c => Assert.True(c.AlphaPeakProminence is null or < 4, $"{c.Channel}: {c.AlphaPeakProminence}× the trend"));
        Assert.Contains("Alpha peak 10.0 Hz", summaries["closed"].Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Alpha peak", summaries["open"].Summary, StringComparison.Ordinal);
    }
}

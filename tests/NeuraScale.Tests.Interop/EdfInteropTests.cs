using NeuraScale.Formats.Edf;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>Our EDF reader against MNE-Python's read_raw_edf on the real EEGMMIDB recordings.</summary>
public sealed class EdfInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edf-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("S001R01.edf")]
    [InlineData("S001R02.edf")]
    public void EdfReader_EqualsMne_OnEverySample(string file)
    {
        var path = RepositoryPaths.EegMmiDb(file);
        var output = Path.Combine(_dir, "mne.f64");
        var mne = PythonReference.Run("read_edf_mne.py", new { path, @out = output });
        var reference = PythonReference.ReadFloat64(output);

        using var reader = EdfReader.Open(path);
        var signals = reader.Header.Signals.Where(s => !s.IsAnnotation).ToArray();
        var names = mne.GetProperty("ch_names").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(signals.Select(s => s.Label), names);
        Assert.Equal(160, mne.GetProperty("sfreq").GetDouble());
        var samples = mne.GetProperty("n_times").GetInt32();
        Assert.Equal(reader.Header.RecordCount * 160, samples);

        var worst = 0.0;
        for (var c = 0; c < signals.Length; c++)
        {
            var ours = reader.ReadPhysical(c, 0, (int)reader.Header.RecordCount);
            for (var i = 0; i < samples; i++)
            {
                worst = Math.Max(worst, Math.Abs(ours[i] - reference[(c * samples) + i]));
            }
        }

        Assert.True(worst < 1e-9, $"largest difference from MNE {worst:E2} µV");

        var annotation = Assert.Single(mne.GetProperty("annotations").EnumerateArray());
        var ourAnnotation = Assert.Single(reader.ReadAnnotations());
        Assert.Equal(annotation.GetProperty("description").GetString(), ourAnnotation.Text);
        Assert.Equal(annotation.GetProperty("onset").GetDouble(), ourAnnotation.OnsetSeconds, 9);
        // The file's T0 lasts 60.2 s in a 60 s recording; MNE crops annotations to the data, so compare the cropped span.
        var end = reader.Header.RecordCount * reader.Header.RecordDurationSeconds;
        Assert.Equal(annotation.GetProperty("duration").GetDouble(), Math.Min(ourAnnotation.DurationSeconds, end - ourAnnotation.OnsetSeconds), 9);
    }
}

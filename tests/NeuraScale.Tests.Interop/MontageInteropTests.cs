using NeuraScale.Formats.Edf;
using NeuraScale.Signals.Montages;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// Montages on a real 64-channel recording (EEGMMIDB S001R02, eyes closed): our average reference and longitudinal
/// bipolar ("double banana") traces equal MNE-Python's <c>set_eeg_reference('average')</c> and
/// <c>set_bipolar_reference</c> on the same EDF file, computed in the run.
/// </summary>
public sealed class MontageInteropTests : IDisposable
{
    private const double ToleranceMicrovolts = 1e-6;
    private readonly string _dir = Directory.CreateTempSubdirectory("montage-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AverageReference_And_DoubleBanana_EqualMne_OnARealRecording()
    {
        var path = RepositoryPaths.EegMmiDb("S001R02.edf");
        using var reader = EdfReader.Open(path);
        var signals = Enumerable.Range(0, reader.Header.Signals.Count).Where(i => !reader.Header.Signals[i].IsAnnotation).ToArray();
        var labels = signals.Select(i => reader.Header.Signals[i].Label).ToArray();
        var names = labels.Select(ElectrodeNames.Normalize).ToArray();
        var eeg = names.Select(_ => true).ToArray();
        const int records = 10;
        var channels = signals.Select(i => reader.ReadPhysical(i, 0, records)).ToArray();
        var samples = channels[0].Length;

        var banana = Montage.Plan(MontageKind.LongitudinalBipolar, names, eeg);
        var average = Montage.Plan(MontageKind.AverageReference, names, eeg);
        // The recording has every double-banana electrode (10-10 names): all 18 pairs, in reading order.
        Assert.Equal(
            ["Fp1-F7", "F7-T7", "T7-P7", "P7-O1", "Fp2-F8", "F8-T8", "T8-P8", "P8-O2", "Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F4", "F4-C4", "C4-P4", "P4-O2", "Fz-Cz", "Cz-Pz"],
            banana.Select(d => d.Name));

        var reference = PythonReference.Run("montage_mne.py", new
        {
            path,
            samples,
            anodes = banana.Select(d => labels[d.Positive]).ToArray(),
            cathodes = banana.Select(d => labels[d.Negative!.Value]).ToArray(),
            names = banana.Select(d => d.Name).ToArray(),
            average_out = Path.Combine(_dir, "average.f64"),
            bipolar_out = Path.Combine(_dir, "bipolar.f64"),
        });
        Assert.Equal(labels.Length, reference.GetProperty("channels").GetInt32());

        foreach (var (plan, file) in new[] { (average, "average.f64"), (banana, "bipolar.f64") })
        {
            var outputs = plan.Select(_ => new double[samples]).ToArray();
            Montage.Apply(plan, channels, eeg, samples, outputs);
            var expected = PythonReference.ReadFloat64(Path.Combine(_dir, file));
            Assert.Equal(plan.Count * samples, expected.Length);
            for (var d = 0; d < plan.Count; d++)
            {
                var worst = Enumerable.Range(0, samples).Max(i => Math.Abs(outputs[d][i] - expected[(d * samples) + i]));
                Assert.True(worst <= ToleranceMicrovolts, $"{plan[d].Name}: largest difference from MNE {worst:E2} µV");
            }
        }
    }
}

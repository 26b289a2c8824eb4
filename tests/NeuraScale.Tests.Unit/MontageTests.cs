using NeuraScale.Signals.Montages;

namespace NeuraScale.Tests.Unit;

public sealed class MontageTests
{
    private static readonly string[] TenTwenty = ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4", "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2", "ECG"];

    [Fact]
    public void DoubleBanana_AcceptsTheOlderTemporalNames_AndKeepsReadingOrder()
    {
        var eeg = TenTwenty.Select(n => n != "ECG").ToArray();

        var plan = Montage.Plan(MontageKind.LongitudinalBipolar, TenTwenty, eeg);

        Assert.Equal(
            ["Fp1-F7", "F7-T3", "T3-T5", "T5-O1", "Fp2-F8", "F8-T4", "T4-T6", "T6-O2", "Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F4", "F4-C4", "C4-P4", "P4-O2", "Fz-Cz", "Cz-Pz"],
            plan.Select(d => d.Name));
    }

    [Fact]
    public void DoubleBanana_SkipsPairsWithAMissingElectrode_AndRefusesWhenNoPairExists()
    {
        string[] names = ["Fp1", "F3", "C3", "O1", "ECG"];
        bool[] eeg = [true, true, true, true, false];

        Assert.Equal(["Fp1-F3", "F3-C3"], Montage.Plan(MontageKind.LongitudinalBipolar, names, eeg).Select(d => d.Name));
        var error = Assert.Throws<ArgumentException>(() => Montage.Plan(MontageKind.LongitudinalBipolar, ["O1", "ECG"], [true, false]));
        Assert.Contains("referential or average-reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AverageReference_IsOverEegChannelsOnly_OthersUnchanged()
    {
        string[] names = ["C3", "C4", "Cz", "ECG"];
        bool[] eeg = [true, true, true, false];
        double[][] x = [[1, 4], [2, 5], [3, 9], [100, 200]];
        var plan = Montage.Plan(MontageKind.AverageReference, names, eeg);
        var outputs = plan.Select(_ => new double[2]).ToArray();

        Montage.Apply(plan, x, eeg, 2, outputs);

        Assert.Equal(["C3-avg", "C4-avg", "Cz-avg", "ECG"], plan.Select(d => d.Name));
        Assert.Equal([-1, -2], outputs[0]);
        Assert.Equal([0, -1], outputs[1]);
        Assert.Equal([1, 3], outputs[2]);
        Assert.Equal([100, 200], outputs[3]);
        Assert.Throws<ArgumentException>(() => Montage.Plan(MontageKind.AverageReference, ["ECG"], [false]));
    }

    [Fact]
    public void Apply_RefusesShortBuffers()
    {
        var plan = Montage.Plan(MontageKind.Referential, ["Cz"], [true]);
        var error = Assert.Throws<ArgumentException>(() => Montage.Apply(plan, [new double[3]], [true], 5, [new double[5]]));
        Assert.Contains("5 samples", error.Message, StringComparison.Ordinal);
    }
}

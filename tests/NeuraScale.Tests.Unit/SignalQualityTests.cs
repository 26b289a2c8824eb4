using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Processing.Analysis;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

/// <summary>The checks every analysis result carries: flat, clipped and implausible channels are named, never analysed silently.</summary>
public class SignalQualityTests
{
    private static AnalysisInput Input(params (string Name, double[] Data)[] channels) =>
        new(SessionId.New(), channels.Select(c => new ChannelInfo(c.Name, ChannelType.EEG, "uV")).ToArray(), channels.Select(c => c.Data).ToArray(), 250, 0, []);

    [Fact]
    public void FlatClippedAndImplausibleChannels_AreNamed_AndPlausibleEegIsNot()
    {
        var rng = new Random(3);
        double[] Noise(double sd) => Enumerable.Range(0, 5000).Select(_ => sd * (rng.NextDouble() - 0.5) * 3.46).ToArray();
        var clipped = Noise(40).Select(v => Math.Clamp(v, -30, 30)).ToArray();

        var notes = SignalQuality.Check(Input(("Cz", Noise(40)), ("Fz", new double[5000]), ("Pz", clipped), ("Oz", Noise(5000))));

        Assert.Equal([("flat", "Fz"), ("clipped", "Pz"), ("implausible_amplitude", "Oz")], notes.Select(n => (n.Code, n.Channel!)));
    }

    [Fact]
    public void LineNoiseCarryingMoreThanTheSignal_IsNamedWithItsFrequency_AndAFewHumAreNot()
    {
        var rng = new Random(5);
        double[] Eeg(double lineUv, double hz) => Enumerable.Range(0, 250 * 20).Select(i => (20 * (rng.NextDouble() - 0.5) * 3.46) + (lineUv * Math.Sin(2 * Math.PI * hz * i / 250))).ToArray();

        var notes = SignalQuality.Check(Input(("Cz", Eeg(2, 50)), ("O2", Eeg(40, 50)), ("Pz", Eeg(40, 60))));

        Assert.Equal([("line_noise", "O2"), ("line_noise", "Pz")], notes.Select(n => (n.Code, n.Channel!)));
        Assert.Contains("50 Hz line noise", notes[0].Message, StringComparison.Ordinal);
        Assert.Contains("notch_freq 60", notes[1].Message, StringComparison.Ordinal);

        // Many channels: one note naming the worst.
        var many = SignalQuality.Check(Input(Enumerable.Range(0, 6).Select(c => ($"E{c}", Eeg(30 + c, 50))).ToArray()));
        var note = Assert.Single(many);
        Assert.Null(note.Channel);
        Assert.Contains("6 of 6 channels carry more 50 Hz line noise", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDamagedCopyOfTheRealEeg_IsCalledImplausible_TheRepairedOneIsNot()
    {
        // The damage an earlier copy suffered (LF → CR LF, cut to length): its spectra once reported alpha of 10^7 µV² silently.
        var original = File.ReadAllBytes(RepositoryPaths.EegMmiDb("S001R02.edf"));
        var damaged = DamagedEdf.LineEndingsConverted(original);

        Assert.Empty(SignalQuality.Check(Occipital(new MemoryStream(original))));
        var notes = SignalQuality.Check(Occipital(new MemoryStream(damaged)));
        Assert.Equal(3, notes.Count(n => n.Code == "implausible_amplitude"));
    }

    private static AnalysisInput Occipital(Stream edf)
    {
        using var reader = EdfReader.Open(edf);
        var labels = new[] { "O1..", "Oz..", "O2.." };
        var data = labels.Select(l => reader.ReadPhysical(reader.Header.Signals.Select(s => s.Label).ToList().IndexOf(l), 0, (int)reader.Header.RecordCount)).ToArray();
        return new AnalysisInput(SessionId.New(), labels.Select(l => new ChannelInfo(ElectrodeNames.Normalize(l), ChannelType.EEG, "uV")).ToArray(), data, 160, 0, []);
    }
}

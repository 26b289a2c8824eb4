using NeuraScale.Amplifiers.Simulation;
using NeuraScale.EdgeRelay.Control;
using NeuraScale.Signals.Quality;

namespace NeuraScale.Tests.Unit;

/// <summary>
/// The signal-quality figures against the simulator's ground truth: what was injected (line noise by impedance, blinks,
/// pops, muscle bursts, flat and railed inputs, dropped samples) is what is reported, within stated tolerances.
/// </summary>
public class SignalQualityTests
{
    private static (SimulatedAmplifier Amp, float[] Samples, SignalQualityReport Report) Assess(double seconds, Action<SimulatorOptions> configure, double configuredLine = double.NaN, long first = 0)
    {
        var options = new SimulatorOptions { ChannelCount = 16, SamplingRateHz = 250, Seed = 11, BlinkRatePerSecond = 0 };
        configure(options);
        var amp = new SimulatedAmplifier(options);
        var n = (int)(seconds * options.SamplingRateHz);
        var samples = new float[n * amp.Device.Channels.Count];
        amp.Generate(first, n, samples);
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var frontal = names.Select((name, i) => (name, i)).Where(x => x.name.StartsWith("Fp", StringComparison.Ordinal)).Select(x => x.i).ToArray();
        var input = new QualityInput(options.SamplingRateHz, names, QualityProfile.Eeg(options.SamplingRateHz), double.IsNaN(configuredLine) ? options.LineFrequencyHz : configuredLine,
            amp.Settings.InputRangeMicrovolts, frontal, amp.DroppedBetween(first, first + n));
        return (amp, samples, SignalQuality.Assess(samples, input));
    }

    [Theory]
    [InlineData(50, 250)]
    [InlineData(60, 250)]
    [InlineData(50, 1000)]
    [InlineData(60, 500)]
    public void LineNoise_IsTheInjectedAmplitude_AndTheMainsIsDetected(double mains, double fs)
    {
        var (amp, _, report) = Assess(20, o => { o.LineFrequencyHz = mains; o.SamplingRateHz = fs; o.PoorContactChannels = ["T8", "O1"]; }, configuredLine: mains == 50 ? 60 : 50);

        Assert.Equal(mains, report.DetectedMainsHz);
        Assert.Equal(mains, report.LineFrequencyHz);
        var impedances = amp.MeasureImpedance()!;
        for (var c = 0; c < report.Channels.Count; c++)
        {
            // A sinusoid of amplitude A has RMS A/√2; the simulator's A is 4 µV × Z / 5 kΩ. Tolerance: 10 %, plus 0.6 µV
            // for the floor's own scatter under the peak (20 s of 1/f background).
            var injected = 4 * impedances[c] / 5 / Math.Sqrt(2);
            Assert.InRange(report.Channels[c].LineNoiseRms, (0.9 * injected) - 0.6, (1.1 * injected) + 0.6);
        }
    }

    [Fact]
    public void PoorElectrodes_HaveTheLowestSnr_AndTheirHumIsNamedWithWhatToDo()
    {
        var (amp, _, report) = Assess(20, o => o.PoorContactChannels = ["T8", "O1"]);

        var worst = report.Channels.OrderBy(c => c.SnrDb).Take(2).Select(c => c.Name).Order();
        Assert.Equal(["O1", "T8"], worst);
        Assert.All(report.Channels.Where(c => c.Name is not ("O1" or "T8")), c => Assert.True(c.Score > report.Channels.Single(p => p.Name == "T8").Score));
        var advice = QualityReportJson.Recommend(report, amp.Settings);
        var hum = Assert.Single(advice, a => a.Contains("hum", StringComparison.Ordinal));
        Assert.Contains("T8", hum, StringComparison.Ordinal);
        Assert.Contains("O1", hum, StringComparison.Ordinal);
        Assert.Contains("check_impedance", hum, StringComparison.Ordinal);
        Assert.DoesNotContain("C3", hum, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredMainsDiffersFromTheDetectedOne_TheRecommendationSaysWhichToSet()
    {
        var (amp, _, report) = Assess(10, o => o.LineFrequencyHz = 50, configuredLine: 60);

        Assert.Equal(50, report.DetectedMainsHz);
        var settings = amp.Settings with { LineFrequencyHz = 60 };
        Assert.Contains(QualityReportJson.Recommend(report, settings), a => a.Contains("line_frequency_hz=50", StringComparison.Ordinal));
    }

    [Fact]
    public void NoLineNoise_NoMainsIsDetected_AndTheConfiguredOneIsMeasured()
    {
        var (_, _, report) = Assess(10, o => o.LineNoiseMicrovolts = 0, configuredLine: 60);

        Assert.Null(report.DetectedMainsHz);
        Assert.Equal(60, report.LineFrequencyHz);
        Assert.All(report.Channels, c => Assert.True(c.LineNoiseRms < 1, $"{c.Name}: {c.LineNoiseRms} µV"));
    }

    [Fact]
    public void Blinks_AreCountedAsInjected()
    {
        var (amp, _, report) = Assess(60, o => o.BlinkRatePerSecond = 0.3);

        // Blinks closer than 0.3 s are one to the detector (as to a reader of the trace).
        var truth = amp.BlinksBetween(0, 60 * 250);
        var distinct = truth.Where((b, i) => i == 0 || b - truth[i - 1] >= 0.3 * 250).Count();
        Assert.InRange(distinct, 12, 30);
        Assert.InRange(report.Blinks!.Value, distinct - 1, distinct + 1);
        Assert.Contains(QualityReportJson.Recommend(report, amp.Settings), a => a.StartsWith($"{report.Blinks} blinks", StringComparison.Ordinal));
    }

    [Fact]
    public void NoBlinks_NoneReported()
    {
        var (_, _, report) = Assess(30, _ => { });

        Assert.Equal(0, report.Blinks);
    }

    [Fact]
    public void ElectrodePops_AreCountedOnTheirChannelsOnly()
    {
        var (amp, _, report) = Assess(60, o => { o.PopChannels = ["C3", "P8"]; o.PopsPerMinute = 6; o.BlinkRatePerSecond = 0.2; });

        var truth = amp.PopsBetween(0, 60 * 250);
        foreach (var name in new[] { "C3", "P8" })
        {
            var index = amp.Device.Channels.Select(c => c.Name).ToList().IndexOf(name);
            var injected = truth.Count(p => p.Channel == index);
            Assert.InRange(injected, 2, 16);
            Assert.InRange(report.Channels[index].Pops, injected - 1, injected);
        }

        Assert.All(report.Channels.Where(c => c.Name is not ("C3" or "P8")), c => Assert.Equal(0, c.Pops));
    }

    [Fact]
    public void MuscleBursts_AreCountedAsInjected_OnTheMuscleChannels()
    {
        var (amp, _, report) = Assess(60, o => { o.MuscleChannels = ["T7", "T8"]; o.MuscleBurstsPerMinute = 8; o.PoorContactChannels = ["T8"]; });

        var truth = amp.MuscleBurstsBetween(0, 60 * 250).Count;
        Assert.InRange(truth, 4, 14);
        Assert.InRange(report.MuscleBursts, truth - 1, truth + 1);
        Assert.All(report.Channels.Where(c => c.Name is not ("T7" or "T8")), c => Assert.Equal(0, c.MuscleBursts));
        Assert.Contains(QualityReportJson.Recommend(report, amp.Settings), a => a.Contains("muscle", StringComparison.Ordinal) && a.Contains("T7", StringComparison.Ordinal));
    }

    [Fact]
    public void FlatAndRailedInputs_AreFlagged_ScoreZero_AndNamed()
    {
        var (amp, _, report) = Assess(10, o => { o.FlatChannels = ["F3"]; o.RailedChannels = ["C4"]; });

        var flat = report.Channels.Single(c => c.Name == "F3");
        var railed = report.Channels.Single(c => c.Name == "C4");
        Assert.True(flat.Flat);
        Assert.False(flat.Railed);
        Assert.True(railed.Railed);
        Assert.Equal(0, flat.Score);
        Assert.Equal(0, railed.Score);
        Assert.True(double.IsNaN(railed.SnrDb));
        Assert.All(report.Channels.Where(c => c.Name is not ("F3" or "C4")), c => Assert.False(c.Flat || c.Railed));
        var advice = QualityReportJson.Recommend(report, amp.Settings);
        Assert.Contains(advice, a => a.StartsWith("C4 sits at the amplifier's limit (±187,500 µV at gain 24)", StringComparison.Ordinal));
        Assert.Contains(advice, a => a.StartsWith("F3 shows no signal", StringComparison.Ordinal));
    }

    [Fact]
    public void DroppedSamples_AreCounted_AndLowerTheScore()
    {
        var clean = Assess(20, _ => { }).Report;
        var (amp, _, lossy) = Assess(20, o => o.DroppedSamplesPerMinute = 60);

        Assert.Equal(amp.DroppedBetween(0, 20 * 250), lossy.DroppedSamples);
        Assert.InRange(lossy.DroppedSamples, 8, 40);
        Assert.True(lossy.Score < clean.Score);
    }

    [Fact]
    public void CleanSimulatedEeg_ScoresGood_WithNothingToFix()
    {
        var (amp, _, report) = Assess(20, _ => { });

        Assert.Equal("good", report.Rating);
        Assert.Equal(0, report.Pops);
        Assert.Equal(0, report.MuscleBursts);
        Assert.Equal(["Good signal on every channel: ready to record."], QualityReportJson.Recommend(report, amp.Settings));
    }

    [Fact]
    public void SameSamples_SameReport()
    {
        var (_, samples, report) = Assess(10, o => { o.PopChannels = ["C3"]; o.MuscleChannels = ["T7"]; o.BlinkRatePerSecond = 0.3; });
        var (_, again, second) = Assess(10, o => { o.PopChannels = ["C3"]; o.MuscleChannels = ["T7"]; o.BlinkRatePerSecond = 0.3; });

        Assert.Equal(samples, again);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(report), System.Text.Json.JsonSerializer.Serialize(second));
    }

    [Fact]
    public void TooShort_IsRefusedWithTheMinimum()
    {
        var ex = Assert.Throws<NeuraScale.Signals.SignalParameterException>(() => SignalQuality.Assess(new float[2 * 400], new QualityInput(250, ["A", "B"], QualityProfile.Eeg(250), 50, null, [])));
        Assert.Contains("at least 2 s", ex.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using NeuraScale.Domain;
using NeuraScale.Processing.Analysis;

namespace NeuraScale.Tests.Unit;

/// <summary>Connectivity and time–frequency results say what limits their claims.</summary>
public sealed class AnalysisQualityNotesTests
{
    private const double Fs = 250;

    private static AnalysisInput Input(double seconds, IReadOnlyList<EventMarker> events, params (string Name, Func<int, double> Signal)[] channels) =>
        new(SessionId.New(), channels.Select(c => new ChannelInfo(c.Name, ChannelType.EEG, "uV")).ToArray(),
            channels.Select(c => Enumerable.Range(0, (int)(seconds * Fs)).Select(c.Signal).ToArray()).ToArray(), Fs, 0, events);

    private static AnalysisParameters Parameters(string type, object? values = null) =>
        new(values is null ? null : JsonSerializer.SerializeToElement(values), type);

    [Fact]
    public void Connectivity_NamesASharedSignal_AndTooFewEpochsForPhaseMeasures()
    {
        var rng = new Random(4);
        var common = Enumerable.Range(0, (int)(6 * Fs)).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var input = Input(6, [], ("F3", i => 10 * common[i]), ("F4", i => (10 * common[i]) + (0.1 * Math.Sin(i))), ("O1", _ => rng.NextDouble()));

        var notes = ConnectivityHandler.Run(input, Parameters("connectivity")).Notes;

        Assert.Contains(notes, n => n.Code == "few_epochs" && n.Message.Contains("only 3 epoch(s)", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Code == "shared_signal" && n.Message.Contains("F3–F4", StringComparison.Ordinal));
    }

    [Fact]
    public void Connectivity_IndependentChannelsOverEnoughEpochs_HaveNoNotes()
    {
        var rng = new Random(5);
        var input = Input(60, [], ("F3", _ => rng.NextDouble()), ("O1", _ => rng.NextDouble()));

        Assert.Empty(ConnectivityHandler.Run(input, Parameters("connectivity")).Notes);
    }

    [Fact]
    public void TimeFrequency_DefaultBaselineLiesOutsideTheConeOfInfluence_AnExplicitOneAtTheEdgeIsNoted()
    {
        var events = Enumerable.Range(0, 8).Select(k => new EventMarker((long)((1 + (2 * k)) * Fs), 0, "stim")).ToArray();
        var input = Input(18, events, ("Cz", i => Math.Sin(2 * Math.PI * 10 * i / Fs)));

        var byDefault = TimeFrequencyHandler.Run(input, Parameters("time_frequency"));
        var atTheEdge = TimeFrequencyHandler.Run(input, Parameters("time_frequency", new { baseline = new[] { -0.5, 0 } }));

        Assert.StartsWith("logratio over -0.38–0 s", byDefault.Sections.TimeFrequency!.Baseline, StringComparison.Ordinal);
        Assert.DoesNotContain(byDefault.Notes, n => n.Code == "baseline_in_cone_of_influence");
        Assert.Contains(byDefault.Notes, n => n.Code == "few_epochs" && n.Message.Contains("Only 8 epochs", StringComparison.Ordinal));
        Assert.Contains(atTheEdge.Notes, n => n.Code == "baseline_in_cone_of_influence");
    }
}

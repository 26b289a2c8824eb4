using System.Text.Json;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Processing.Analysis;
using NeuraScale.Testing;

// The figures docs/signal-processing.md shows, rendered by the handlers run_analysis calls, on the real EEGMMIDB
// recordings and on the simulator's oddball. Usage: dotnet run --project tests/NeuraScale.Figures -c Release -- [dir]
var directory = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(RepositoryPaths.Root, "docs", "images"));
Directory.CreateDirectory(directory);

var closed = Real("S001R02.edf", "EEGMMIDB S001R02, eyes closed");
var open = Real("S001R01.edf", "EEGMMIDB S001R01, eyes open");
string[] occipital = ["O1", "Oz", "O2"];
string[] tenTwenty = ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4", "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "O2"];
var oddball = Oddball();

Save("spectral-eyes-closed-occipital", SpectralHandler.Run(Pick(closed, occipital), Parameters("spectral", null)));
Save("spectral-eyes-open-occipital", SpectralHandler.Run(Pick(open, occipital), Parameters("spectral", null)));
Save("spectral-eyes-closed-64-channels", SpectralHandler.Run(closed, Parameters("spectral", null)));
Save("connectivity-eyes-closed-coherence-alpha", ConnectivityHandler.Run(Pick(closed, tenTwenty), Parameters("connectivity", new { plot_measure = "coherence", plot_band = "alpha" })));
Save("erp-oddball-target", ErpHandler.Run(oddball, Parameters("erp", new { event_labels = new[] { "stimulus/target" } })));
Save("time-frequency-oddball-target-pz", TimeFrequencyHandler.Run(oddball, Parameters("time_frequency", new { event_labels = new[] { "stimulus/target" }, plot_channel = "Pz" })));
Save("source-oddball-target-sloreta", SourceLocalizationHandler.Run(oddball, Parameters("source_localization", new { event_label = "stimulus/target" })));
return 0;

void Save(string name, AnalysisOutcome outcome)
{
    var path = Path.Combine(directory, name + ".png");
    File.WriteAllBytes(path, outcome.Figures[0]);
    Console.WriteLine($"{path}: {outcome.Summary}");
}

static AnalysisParameters Parameters(string type, object? values) =>
    new(values is null ? null : JsonSerializer.SerializeToElement(values), type);

static AnalysisInput Real(string file, string description)
{
    using var source = EdfSessionSource.Open(RepositoryPaths.EegMmiDb(file));
    var chunks = source.Chunks(SessionId.Derived("figures\n" + file)).ToArray();
    var data = source.Channels.Select((_, c) => chunks.SelectMany(k => k.Samples.AsSpan(c * k.SampleCount, k.SampleCount).ToArray()).Select(v => (double)v).ToArray()).ToArray();
    return new AnalysisInput(chunks[0].SessionId, source.Channels, data, source.SamplingRateHz, 0, source.Events, description);
}

static AnalysisInput Pick(AnalysisInput input, string[] names)
{
    var indices = names.Select(n => input.Channels.ToList().FindIndex(c => c.Name == n)).ToArray();
    return input with { Channels = indices.Select(i => input.Channels[i]).ToArray(), Data = indices.Select(i => input.Data[i]).ToArray() };
}

// The run command's montage and rates, 400 s with the default background: what a user records and analyses.
static AnalysisInput Oddball()
{
    var amplifier = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 19, SamplingRateHz = 250, Seed = 77 });
    var n = 400 * 250;
    var samples = new float[19 * n];
    amplifier.Generate(0, n, samples);
    var data = Enumerable.Range(0, 19).Select(c => samples.AsSpan(c * n, n).ToArray().Select(v => (double)v).ToArray()).ToArray();
    return new AnalysisInput(SessionId.Derived("figures\noddball"), amplifier.Device.Channels, data, 250, 0, amplifier.EventsBetween(0, n), "simulated oddball (19 channels, seed 77)");
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.LocalHost;
using NeuraScale.Processing.Analysis;
using NeuraScale.Processing.Clinical.Runs;
using NeuraScale.Processing.Reading;
using NeuraScale.Processing.Reports;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Time to write a clinical report on a routine-length recording (default 20 min × 21 channels × 256 Hz, simulated,
/// on Azurite) and the PDF's size — sequentially and four at once — beside, in the same run, the two things a report
/// cannot be faster than: one raw read of every stored sample, and run_analysis spectral over the whole recording.
/// </summary>
public static class ReportBenchmark
{
    public static async Task RunAsync(int seconds, int channels, int rate, int repeats)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync();
        await using var services = TestServices.Application(storage, TimeProvider.System);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = channels, SamplingRateHz = rate, Speed = 10_000, Seed = 3 });
        var session = await TestRecorder.RecordAsync(clients, amp, PatientPseudonym.New(), seconds);
        var caller = new Caller("key:bench", "Benchmark", new HashSet<string> { "clinician" }, new HashSet<string> { Permissions.ClinicalRead, Permissions.NeuralDataRead }, null);
        Console.WriteLine(FormattableString.Invariant($"Recording: {session.Channels.Count} ch × {session.DurationSeconds / 60:0.#} min × {rate} Hz ({session.SampleCount * session.Channels.Count * 4 / 1e6:0.#} MB of float32 samples) on Azurite; {Environment.ProcessorCount} cores."));

        var reader = services.GetRequiredService<SignalBlockReader>();
        var analysis = services.GetRequiredService<AnalysisService>();
        var reports = services.GetRequiredService<ReportService>();
        var request = new ReportRequest([session.Id.Value], ReportTypes.Clinical, ReportSections.All, new Dictionary<string, string>(), false, RunCaller.From(caller), null);
        await reports.WriteAsync(request, "job_warmup", null, default); // JIT, fonts

        Console.WriteLine("| what | seconds (median of " + repeats + ") |");
        Console.WriteLine("|---|---:|");
        var read = await MedianAsync(repeats, async () =>
        {
            var plan = new SignalPlan(session, Enumerable.Range(0, session.Channels.Count).ToArray(), 0, session.SampleCount, 1);
            await foreach (var _ in reader.ReadAsync(plan))
            {
            }
        });
        Console.WriteLine(FormattableString.Invariant($"| raw read of every stored sample (reference) | {read:0.00} |"));
        var spectral = await MedianAsync(repeats, () => analysis.RunAsync(new AnalysisRequest(session.Id.Value, "spectral", null, null, null, null, caller), null, default));
        Console.WriteLine(FormattableString.Invariant($"| run_analysis spectral, whole recording (reference) | {spectral:0.00} |"));
        ReportSummary? summary = null;
        var n = 0;
        var report = await MedianAsync(repeats, async () => summary = await reports.WriteAsync(request, $"job_bench{n++}", null, default));
        Console.WriteLine(FormattableString.Invariant($"| clinical report (quality pass, spectra, PDF, upload) | {report:0.00} |"));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => reports.WriteAsync(request, $"job_concurrent{i}", null, default)));
        Console.WriteLine(FormattableString.Invariant($"| 4 clinical reports at once (wall clock) | {watch.Elapsed.TotalSeconds:0.00} |"));
        Console.WriteLine(FormattableString.Invariant($"PDF: {summary!.Files[0].SizeBytes / 1e3:0} kB, {summary.Pages} pages."));
    }

    private static async Task<double> MedianAsync(int repeats, Func<Task> work)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalSeconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}

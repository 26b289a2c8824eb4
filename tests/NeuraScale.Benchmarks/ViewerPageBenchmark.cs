using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// What a page of the EEG viewer costs the server: <c>read_viewer_page</c> through the official client and the full
/// pipeline, paging through a 64-channel 256 Hz recording on Azurite (each page a new 10 s, so chunks come from
/// storage as they do when a person pages), beside reading the same chunks straight from Blob storage in the same run.
/// Sequentially and with several viewers paging at once.
/// </summary>
public static class ViewerPageBenchmark
{
    private const int Pages = 6; // 0, 10, … 50 s of a 60 s recording

    public static async Task RunAsync(int calls, int[] viewers)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync();
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 256, Seed = 17, Speed = 10_000 });
        var session = await TestRecorder.RecordAsync(clients, amp, PatientPseudonym.New(), Pages * 10);

        // Rate limits raised: the benchmark measures cost, not refusals. The chunk cache off, so every page reads storage.
        await using var server = await McpTestServer.StartAsync(
            storage,
            new() { ["Security:RateLimits:Default"] = "1000000", ["Storage:ChunkCacheMegabytes"] = "0" },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"]);

        var rows = new (string Name, Dictionary<string, object?> Args)[]
        {
            ("referential, no filters", new() { ["montage"] = "referential" }),
            ("referential, 0.5–70 Hz (the EEG default)", new() { ["montage"] = "referential", ["high_pass_hz"] = 0.5, ["low_pass_hz"] = 70 }),
            ("bipolar (18 traces), 1–35 Hz + 50 Hz notch", new() { ["montage"] = "bipolar", ["high_pass_hz"] = 1, ["low_pass_hz"] = 35, ["notch_hz"] = 50 }),
        };

        Console.WriteLine($"64 ch × 10 s × 256 Hz pages of a {Pages * 10} s recording, {calls} pages per row, {Environment.ProcessorCount} cores");
        Console.WriteLine("| what | viewers | p50 ms | p90 ms | max ms | pages/s | response |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var reader = new SignalWindowReader(new SignalStore(clients));
        var all = Enumerable.Range(0, session.Channels.Count).ToArray();
        foreach (var count in viewers)
        {
            // Reference: the page's chunks (with the 4 s margin a 0.5 Hz high-pass reads) straight from Blob storage.
            var raw = await MeasureAsync(count, calls, async page =>
            {
                var first = Math.Max(0, (page * 10) - 4) * 256L;
                var end = Math.Min(Pages * 10, (page * 10) + 14) * 256L;
                await reader.ReadAsync(session, first, (int)(end - first), all);
                return 0;
            });
            Print("chunk blobs read directly (page + margin)", count, calls, raw, "—");

            foreach (var (name, args) in rows)
            {
                var connections = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => McpTestServer.ConnectAsync(server.Endpoint, key)));
                var bytes = 0L;
                try
                {
                    var result = await MeasureAsync(count, calls, async page =>
                    {
                        var arguments = new Dictionary<string, object?>(args) { ["session_id"] = session.Id.Value, ["start_seconds"] = page * 10 };
                        var response = await connections[page % count].CallToolAsync("read_viewer_page", arguments);
                        if (response.IsError == true)
                        {
                            throw new InvalidOperationException("read_viewer_page failed during the benchmark.");
                        }

                        return Interlocked.Exchange(ref bytes, JsonSerializer.SerializeToUtf8Bytes(response.StructuredContent).LongLength);
                    });
                    Print("read_viewer_page, " + name, count, calls, result, $"{bytes / 1e6:0.00} MB JSON");
                }
                finally
                {
                    foreach (var connection in connections)
                    {
                        await connection.DisposeAsync();
                    }
                }
            }
        }
    }

    private static void Print(string name, int viewers, int calls, (double[] Ms, double Seconds) result, string size)
    {
        var ms = result.Ms.Order().ToArray();
        double P(double q) => ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
        Console.WriteLine(FormattableString.Invariant($"| {name} | {viewers} | {P(0.5):0.0} | {P(0.9):0.0} | {ms[^1]:0.0} | {calls / result.Seconds:0.0} | {size} |"));
    }

    // Warm-up of one page per viewer, then `calls` pages shared among `viewers` concurrent loops; each page a new 10 s.
    private static async Task<(double[] Ms, double Seconds)> MeasureAsync(int viewers, int calls, Func<int, Task<long>> page)
    {
        await Task.WhenAll(Enumerable.Range(0, viewers).Select(v => page(v % Pages)));
        var samples = new double[calls];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, viewers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                var start = Stopwatch.GetTimestamp();
                await page(i % Pages);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        return (samples, watch.Elapsed.TotalSeconds);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Storage round trips per tool call: every HTTP request the in-process server sends to Azurite while one call is
/// served, counted per service (blob, queue, table) from the runtime's own HttpClient activities. Each call is made
/// after a warm-up (audit tail read, key last-used write), so the counts are the steady state.
/// </summary>
public static class McpRoundTripsBenchmark
{
    public static async Task RunAsync(int repeats)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync();
        var session = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = 250, Seed = 5, Speed = 10_000 }), PatientPseudonym.New(), 30);
        await using var server = await McpTestServer.StartAsync(storage, new() { ["Security:RateLimits:Default"] = "1000000", ["Security:RateLimits:DataExport"] = "1000000" }, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        var key = await McpTestServer.CreateKeyAsync(storage, ["demo"]);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, key);

        var ports = Ports(azurite.ConnectionString);
        using var counter = new StorageRequestCounter(ports);
        var id = session.Id.Value;
        var filter = new Dictionary<string, object?> { ["session_id"] = id, ["filter_type"] = "bandpass", ["low_freq"] = 1, ["high_freq"] = 40, ["channels"] = new object[] { "O1", "O2" }, ["end_time"] = 10 };
        var rows = new (string Name, Func<int, Dictionary<string, object?>> Args, string Tool)[]
        {
            ("query_sessions (limit 10)", _ => new() { ["limit"] = 10 }, "query_sessions"),
            ("get_neural_data (2 ch × 2 s)", _ => new() { ["session_id"] = id, ["channels"] = new object[] { "O1", "O2" }, ["start_time"] = 10, ["end_time"] = 12 }, "get_neural_data"),
            ("apply_filter, identical earlier result", _ => filter, "apply_filter"),
            ("apply_filter, new (2 ch × 4 s)", i => new() { ["session_id"] = id, ["filter_type"] = "lowpass", ["high_freq"] = 30, ["channels"] = new object[] { "O1", "O2" }, ["start_time"] = i, ["end_time"] = i + 4 }, "apply_filter"),
            ("export_neural_data, new, inline (8 ch × 2 s EDF)", i => new() { ["session_id"] = id, ["format"] = "edf", ["start_time"] = i, ["end_time"] = i + 2 }, "export_neural_data"),
            ("export_neural_data, repeated request", _ => new() { ["session_id"] = id, ["format"] = "edf", ["end_time"] = 5 }, "export_neural_data"),
        };

        Console.WriteLine($"Storage requests per tool call (Azurite, {repeats} calls each after one warm-up; mean, and the split blob/queue/table)");
        Console.WriteLine("| call | requests | blob | queue | table |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            await CallAsync(client, row.Tool, row.Args(20)); // warm-up; the 'new' rows use a window no measured call uses
            var totals = new int[3];
            for (var i = 0; i < repeats; i++)
            {
                counter.Reset();
                await CallAsync(client, row.Tool, row.Args(i));
                var counts = counter.Counts;
                for (var s = 0; s < 3; s++)
                {
                    totals[s] += counts[s];
                }
            }

            double Mean(int s) => (double)totals[s] / repeats;
            Console.WriteLine($"| {row.Name} | {Mean(0) + Mean(1) + Mean(2):0.#} | {Mean(0):0.#} | {Mean(1):0.#} | {Mean(2):0.#} |");
        }
    }

    private static async Task CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args);
        if (result.IsError == true)
        {
            throw new InvalidOperationException($"{tool} failed: {JsonSerializer.Serialize(result.Content)}");
        }
    }

    /// <summary>Blob, queue and table ports from an Azurite connection string.</summary>
    private static int[] Ports(string connectionString)
    {
        int Port(string name) => new Uri(connectionString.Split(';').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..]).Port;
        return [Port("BlobEndpoint"), Port("QueueEndpoint"), Port("TableEndpoint")];
    }

    /// <summary>Counts outgoing HTTP requests to the three storage ports (System.Net.Http activities, .NET 9+).</summary>
    private sealed class StorageRequestCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly int[] _counts = new int[3];

        public StorageRequestCounter(int[] ports)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "System.Net.Http",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    var port = activity.GetTagItem("server.port") is int p ? p : -1;
                    var index = Array.IndexOf(ports, port);
                    if (index >= 0)
                    {
                        Interlocked.Increment(ref _counts[index]);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int[] Counts => [.. _counts];

        public void Reset()
        {
            for (var i = 0; i < 3; i++)
            {
                Interlocked.Exchange(ref _counts[i], 0);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Audit;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Audit append throughput on Azurite: one writer with one caller (every entry its own block, the floor), one writer
/// with many concurrent callers (group commit), several writers as several instances would be, beside the reference
/// measured in the same run — the bare SDK appending one entry-sized block at a time to one append blob — and the old
/// design's cost, one shared blob every append of which has to win the append position.
/// </summary>
public static class AuditBenchmark
{
    public static async Task RunAsync(int entries, int callers, int writers)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var options = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(options);
        await clients.EnsureCreatedAsync();
        Console.WriteLine("| writers × concurrent callers | entries | seconds | entries/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");

        await ReferenceAsync(azurite.ConnectionString, Math.Min(entries, 2000));
        await MeasureAsync(clients, "1 × 1", 1, 1, Math.Min(entries, 2000));
        await MeasureAsync(clients, $"1 × {callers}", 1, callers, entries);
        await MeasureAsync(clients, $"{writers} × {callers}", writers, callers, entries);
    }

    private static async Task MeasureAsync(StorageClients clients, string label, int writers, int callers, int entries)
    {
        var audit = new AuditOptions { ArgumentHashKey = AzuriteFixture.TestAuditKey };
        var logs = Enumerable.Range(0, writers).Select(_ => new AuditLog(clients, TimeProvider.System, Options.Create(audit), NullLogger<AuditLog>.Instance)).ToArray();
        var latencies = new double[entries];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(logs.SelectMany(log => Enumerable.Range(0, callers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < entries)
            {
                var started = Stopwatch.GetTimestamp();
                await log.AppendAsync(new AuditEntry { Caller = "key:bench", Action = "tools/call:query_sessions", Outcome = "ok", LatencyMs = 3.2, Resources = ["psn_aaaaaaaaaaaaaaaa"], ArgumentsHash = new string('a', 64) });
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        clock.Stop();
        foreach (var log in logs)
        {
            await log.DisposeAsync();
        }

        Row(label, entries, clock.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>The bare SDK: one ~400-byte block per append, sequential, to one append blob.</summary>
    private static async Task ReferenceAsync(string connectionString, int entries)
    {
        var container = new BlobContainerClient(connectionString, "audit-reference");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetAppendBlobClient("reference.jsonl");
        await blob.CreateAsync();
        var line = new byte[400];
        Array.Fill(line, (byte)'x');
        var latencies = new double[entries];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < entries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var stream = new MemoryStream(line);
            await blob.AppendBlockAsync(stream);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Row("reference: bare SDK AppendBlock, 1 entry per block", entries, clock.Elapsed.TotalSeconds, latencies);
    }

    private static void Row(string label, int entries, double seconds, double[] latencies)
    {
        Array.Sort(latencies);
        Console.WriteLine(FormattableString.Invariant($"| {label} | {entries} | {seconds:0.00} | {entries / seconds:0} | {latencies[latencies.Length / 2]:0.0} | {latencies[(int)(latencies.Length * 0.99)]:0.0} |"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Many MCP clients at once over Streamable HTTP on loopback, against the built server as its own process (production
/// settings: default rate limits, audit, API keys) and the bare SDK server hosting the same tools, in the same run.
/// Open loop: every client calls once a second whatever the answers do (latency counted from when the call was due,
/// so a slow server cannot hide its queue); closed loop: C workers call back to back (saturation throughput). Each
/// client has its own API key and alternates <c>query_sessions</c> (limit 10) and <c>get_neural_data</c> (2 ch × 2 s).
/// Bounded: every phase has a duration and every call a 10 s timeout; loopback only.
/// </summary>
public static class LoadBenchmark
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static int azuritePid;

    /// <summary>LOAD_MIX=query or data for one tool only (diagnosis); anything else: the alternating mix. Read once, not per call.</summary>
    private static readonly string? Mix = Environment.GetEnvironmentVariable("LOAD_MIX");

    /// <summary>
    /// The open loop's ramp: in its first seconds every client is new (its key checked against storage, its rate-limit
    /// lease taken, its connection opened), all within one second. Reported apart from the steady state after it.
    /// </summary>
    private const int RampSeconds = 5;

    public static async Task RunAsync(int[] openLoopClients, int[] closedLoopWorkers, int seconds)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        await McpLatencyBenchmark.SeedAsync(storage, 100);
        // One key per client, and one more for warming up (so no client starts with part of its budget spent).
        var keys = await CreateKeysAsync(storage, Math.Max(openLoopClients.Max(), closedLoopWorkers.Max()) + 1);
        var warmUpKey = keys[^1];
        azuritePid = azurite.ProcessId;
        var sessions = await SessionIdsAsync(storage);
        Console.WriteLine($"{Environment.ProcessorCount} cores; {sessions.Length} sessions (16 ch × 250 Hz × 20 s); one API key per client; {seconds} s per run");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { Timeout = CallTimeout };
        var ours = new Target("NeuraScale (full pipeline)", RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp"), [], []);
        var bare = new Target("bare SDK server, same tools", typeof(LoadBenchmark).Assembly.Location, ["bare-server"], []);
        // Closed loop saturates one caller far past the brief's 100 calls/min: limits raised so the run measures capacity, not refusals.
        var oursUnlimited = ours with { Name = "NeuraScale (full pipeline, limits raised)", Settings = new() { ["NEURASCALE_Security__RateLimits__Default"] = "1000000" } };
        // LOAD_SETTINGS="Section__Key=value;…": extra settings for our server in both loops (diagnosis, e.g. a setting's cost).
        foreach (var setting in (Environment.GetEnvironmentVariable("LOAD_SETTINGS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            ours.Settings["NEURASCALE_" + name] = value;
            oursUnlimited.Settings["NEURASCALE_" + name] = value;
        }


        Console.WriteLine();
        Console.WriteLine("Open loop — each client calls once a second (latency from when the call was due):");
        Console.WriteLine($"| server | clients | calls/s | p50 ms | p90 ms | p99 ms | max ms | after the first {RampSeconds} s: p50 / p90 / p99 / max ms | errors (after {RampSeconds} s) | refused, 503/429 (after {RampSeconds} s) | RSS idle MB | RSS max MB | CPU % of 2 cores: server / Azurite / load generator |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
        foreach (var target in new[] { ours, bare })
        {
            foreach (var clients in openLoopClients)
            {
                await using var server = await StartAsync(target, storage);
                var idle = await IdleRssAsync(server, http, warmUpKey, sessions);
                var result = await MeasureAsync(server, () => OpenLoopAsync(http, server.Endpoint, keys, sessions, clients, TimeSpan.FromSeconds(seconds)));
                var exited = double.IsNaN(ProcessSample.Read(server.ProcessId).RssMb) ? " (the server process exited during the run)" : string.Empty;
                Console.WriteLine($"| {target.Name}{exited} | {clients} | {result.Rate:0} | {result.P(0.5):0.0} | {result.P(0.9):0.0} | {result.P(0.99):0.0} | {result.Max:0.0} | {result.SteadyP(0.5):0.0} / {result.SteadyP(0.9):0.0} / {result.SteadyP(0.99):0.0} / {result.SteadyMax:0.0} | {result.Errors} ({result.SteadyErrors}) | {result.Refused} ({result.SteadyRefused}) | {idle:0} | {result.MaxRssMb:0} | {result.Cpu} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Closed loop — C workers calling back to back (saturation):");
        Console.WriteLine("| server | workers | calls/s | p50 ms | p99 ms | max ms | errors | refused | RSS max MB | CPU %: server / Azurite / load generator |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var target in new[] { oursUnlimited, bare })
        {
            await using var server = await StartAsync(target, storage);
            await IdleRssAsync(server, http, warmUpKey, sessions);
            foreach (var workers in closedLoopWorkers)
            {
                var result = await MeasureAsync(server, () => ClosedLoopAsync(http, server.Endpoint, keys, sessions, workers, TimeSpan.FromSeconds(seconds)));
                Console.WriteLine($"| {target.Name} | {workers} | {result.Rate:0} | {result.P(0.5):0.0} | {result.P(0.99):0.0} | {result.Max:0.0} | {result.Errors} | {result.Refused} | {result.MaxRssMb:0} | {result.Cpu} |");
            }
        }
    }

    private sealed record Target(string Name, string Dll, string[] Args, Dictionary<string, string?> Settings);

    private static Task<McpServerProcess> StartAsync(Target target, StorageOptions storage) =>
        McpServerProcess.StartAsync(target.Dll, target.Args, AzuriteFixture.ToEnvironment(storage).Concat(target.Settings), CancellationToken.None);

    /// <summary>Warms the server (JIT, pools) with a few hundred sequential calls, lets it settle, and reads its resident memory.</summary>
    private static async Task<double> IdleRssAsync(McpServerProcess server, HttpClient http, string key, string[] sessions)
    {
        for (var i = 0; i < 200; i++)
        {
            await CallAsync(http, server.Endpoint, key, Body(i, sessions), Stopwatch.GetTimestamp());
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a real pause: the server's own idle behaviour (GC) is what is measured
        return ProcessSample.Read(server.ProcessId).RssMb;
    }

    private static async Task<LoadResult> MeasureAsync(McpServerProcess server, Func<Task<List<Outcome>>> run)
    {
        using var sampling = new CancellationTokenSource();
        var before = ProcessSample.Read(server.ProcessId);
        var (azuriteBefore, selfBefore) = (ProcessSample.Read(azuritePid), ProcessSample.Read(Environment.ProcessId));
        var maxRss = before.RssMb;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var rss = ProcessSample.Read(server.ProcessId).RssMb;
                maxRss = double.IsNaN(rss) ? maxRss : Math.Max(maxRss, rss);
                try
                {
                    await Task.Delay(250, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var watch = Stopwatch.StartNew();
        var outcomes = await run();
        var wall = watch.Elapsed;
        var after = ProcessSample.Read(server.ProcessId);
        var (azuriteAfter, selfAfter) = (ProcessSample.Read(azuritePid), ProcessSample.Read(Environment.ProcessId));
        await sampling.CancelAsync();
        await sampler;
        double Percent(ProcessSample a, ProcessSample b) => (b.CpuSeconds - a.CpuSeconds) / wall.TotalSeconds / Environment.ProcessorCount * 100;
        return new LoadResult(outcomes, wall, maxRss, $"{Percent(before, after):0} / {Percent(azuriteBefore, azuriteAfter):0} / {Percent(selfBefore, selfAfter):0}");
    }

    /// <summary>Every client due once a second, staggered evenly over the second; a call is sent when due even if the client's previous one has not answered.</summary>
    private static async Task<List<Outcome>> OpenLoopAsync(HttpClient http, Uri endpoint, string[] keys, string[] sessions, int clients, TimeSpan duration)
    {
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp() + frequency / 10;
        var calls = new List<Task<Outcome>>();
        var perClient = (int)duration.TotalSeconds;
        var due = new (long At, int Client, int Call)[clients * perClient];
        for (var c = 0; c < clients; c++)
        {
            for (var k = 0; k < perClient; k++)
            {
                due[(c * perClient) + k] = (start + (k * frequency) + (c * frequency / clients), c, k);
            }
        }

        Array.Sort(due, (a, b) => a.At.CompareTo(b.At));
        foreach (var (at, client, call) in due)
        {
            var wait = at - Stopwatch.GetTimestamp();
            if (wait > frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / frequency));
            }

            calls.Add(CallAsync(http, endpoint, keys[client], Body(client + call, sessions), at));
        }

        var steadyFrom = start + (long)(Math.Min(RampSeconds, duration.TotalSeconds / 4) * frequency);
        var outcomes = (await Task.WhenAll(calls)).Select(o => o with { Steady = o.Due >= steadyFrom }).ToArray();
        if (Environment.GetEnvironmentVariable("LOAD_TIMELINE") == "1")
        {
            // Diagnosis: which 100 ms slices of the run held the slow calls (bursts versus a steady tail).
            foreach (var slice in outcomes.GroupBy(o => (o.Due - start) * 10 / frequency).OrderBy(g => g.Key).Where(g => g.Max(o => o.Ms) > 100))
            {
                Console.WriteLine($"  t={slice.Key / 10.0:0.0}s calls={slice.Count()} over100={slice.Count(o => o.Ms > 100)} max={slice.Max(o => o.Ms):0}ms");
            }
        }

        return [.. outcomes];
    }

    private static async Task<List<Outcome>> ClosedLoopAsync(HttpClient http, Uri endpoint, string[] keys, string[] sessions, int workers, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var all = await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var outcomes = new List<Outcome>();
            for (var k = 0; Stopwatch.GetTimestamp() < end; k++)
            {
                outcomes.Add(await CallAsync(http, endpoint, keys[w], Body(w + k, sessions), Stopwatch.GetTimestamp()));
            }

            return outcomes;
        }));
        return [.. all.SelectMany(o => o)];
    }

    /// <summary>One call: latency from when it was due, answered, refused; <c>Steady</c> when due after the open loop's first <see cref="RampSeconds"/>.</summary>
    private readonly record struct Outcome(double Ms, bool Ok, bool Refused, long Due = 0, bool Steady = false);

    private static async Task<Outcome> CallAsync(HttpClient http, Uri endpoint, string key, byte[] body, long due)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new("Bearer", key);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests || text.Contains("rate_limited", StringComparison.Ordinal) || text.Contains("Rate limit", StringComparison.Ordinal))
            {
                return new(ms, false, true, due);
            }

            var ok = response.IsSuccessStatusCode && text.Contains("\"result\"", StringComparison.Ordinal) && !text.Contains("\"isError\":true", StringComparison.Ordinal);
            return new(ms, ok, false, due);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new((Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency, false, false);
        }
    }

    /// <summary>The mix: even calls list the newest ten sessions, odd ones read 2 s of O1 and O2 from one of them.</summary>
    private static byte[] Body(int n, string[] sessions)
    {
        object call = (Mix == "query" || (Mix != "data" && n % 2 == 0))
            ? new { name = "query_sessions", arguments = new { limit = 10 } }
            : new { name = "get_neural_data", arguments = new { session_id = sessions[n % sessions.Length], channels = new[] { "O1", "O2" }, start_time = n % 17, end_time = (n % 17) + 2 } };
        return JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id = n, method = "tools/call", @params = call });
    }

    private static async Task<string[]> CreateKeysAsync(StorageOptions storage, int count)
    {
        var keys = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => keys[i] = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: ct));
        return keys;
    }

    private static async Task<string[]> SessionIdsAsync(StorageOptions storage)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        var page = await new Storage.Catalog.SessionCatalog(clients).QueryAsync(new Storage.Catalog.SessionQuery { Limit = 100 });
        return [.. page.Sessions.Select(s => s.Id.Value)];
    }

    private sealed class LoadResult(List<Outcome> outcomes, TimeSpan wall, double maxRssMb, string cpu)
    {
        private readonly double[] _okMs = [.. outcomes.Where(o => o.Ok).Select(o => o.Ms).Order()];
        private readonly double[] _steadyMs = [.. outcomes.Where(o => o.Ok && o.Steady).Select(o => o.Ms).Order()];

        public double Rate { get; } = outcomes.Count(o => o.Ok) / wall.TotalSeconds;

        public int Errors { get; } = outcomes.Count(o => !o.Ok && !o.Refused);

        public int Refused { get; } = outcomes.Count(o => o.Refused);

        public int SteadyRefused { get; } = outcomes.Count(o => o.Refused && o.Steady);

        public int SteadyErrors { get; } = outcomes.Count(o => !o.Ok && !o.Refused && o.Steady);

        public double Max => _okMs.Length == 0 ? double.NaN : _okMs[^1];

        public double MaxRssMb => maxRssMb;

        /// <summary>CPU used by the server, Azurite and the load generator, each as % of all cores.</summary>
        public string Cpu => cpu;

        public double P(double q) => Quantile(_okMs, q);

        /// <summary>The same, over the calls due after the open loop's ramp (every client's first calls: key checks, leases, connections).</summary>
        public double SteadyP(double q) => Quantile(_steadyMs, q);

        public double SteadyMax => _steadyMs.Length == 0 ? double.NaN : _steadyMs[^1];

        private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}

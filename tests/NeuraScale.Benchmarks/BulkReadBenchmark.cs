using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Pulling a long window in bulk (default 64 ch × 10 min × 1 kHz, 154 MB of float32) three ways, on Azurite, with
/// the built server as its own process and its production settings: the .npy link (GET /data/sessions/{id}.npy), the
/// reference — the same chunk blobs downloaded directly with the Blob SDK, 8 in flight as the server reads them — and
/// get_neural_data's JSON pages (for one minute of it; they are far slower). One client, then four at once; each
/// measurement repeated and the median reported.
/// </summary>
public static class BulkReadBenchmark
{
    public static async Task RunAsync(int seconds, int channels, int rate, int repeats)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync();
        var session = await StoreAsync(clients, seconds, channels, rate);
        var sampleMb = (double)session.SampleCount * channels * sizeof(float) / 1e6;
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"]);
        await using var server = await McpServerProcess.StartAsync(storage, new Dictionary<string, string> { ["NEURASCALE_Security__RateLimits__Default"] = "100000" }, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var link = new Uri(server.Endpoint, $"/data/sessions/{session.Id}.npy").ToString();
        Console.WriteLine(FormattableString.Invariant($"{Environment.ProcessorCount} cores; {channels} ch × {seconds} s × {rate} Hz = {sampleMb:0.#} MB of float32 samples in {seconds} chunk blobs on Azurite; median of {repeats}."));

        Task<long> Direct() => DirectAsync(clients.SignalsContainer, session);
        Task<long> Bulk() => BulkAsync(http, link, key);

        await Direct();
        await Bulk(); // warm both paths (JIT, connections)
        Console.WriteLine();
        Console.WriteLine("| path | clients | seconds | MB/s of samples (all clients) | vs direct chunk reads | CPU s per pull: server / Azurite / client |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        int[] pids = [server.ProcessId, azurite.ProcessId, Environment.ProcessId];
        foreach (var concurrent in new[] { 1, 4 })
        {
            var direct = await MedianAsync(repeats, concurrent, Direct, pids);
            var bulk = await MedianAsync(repeats, concurrent, Bulk, pids);
            Print("chunk blobs read directly (Blob SDK, 8 in flight)", concurrent, direct, sampleMb, direct.Seconds);
            Print(".npy link (GET /data/sessions/{id}.npy)", concurrent, bulk, sampleMb, direct.Seconds);
        }

        // JSON pages for the first minute (at the default inline cap), against reading that minute's chunks directly.
        var minute = Math.Min(60, seconds);
        var minuteMb = minute * (double)rate * channels * sizeof(float) / 1e6;
        var paging = await MedianAsync(1, 1, () => PagesAsync(server.Endpoint, key, session.Id.Value, minute), pids);
        var directMinute = await MedianAsync(repeats, 1, Direct, pids);
        Print(FormattableString.Invariant($"get_neural_data JSON pages, first {minute} s"), 1, paging, minuteMb, directMinute.Seconds * minute / seconds);
    }

    private sealed record Timing(double Seconds, double[] CpuSeconds);

    private static void Print(string path, int clients, Timing timing, double mb, double directSeconds) =>
        Console.WriteLine(FormattableString.Invariant(
            $"| {path} | {clients} | {timing.Seconds:0.00} | {clients * mb / timing.Seconds:0} | {directSeconds / timing.Seconds:0.00}× | {string.Join(" / ", timing.CpuSeconds.Select(c => c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} |"));

    /// <summary>Median wall time of <paramref name="repeats"/> runs, and the CPU time each process spent per run (mean).</summary>
    private static async Task<Timing> MedianAsync(int repeats, int concurrent, Func<Task<long>> pull, int[] pids)
    {
        var times = new List<double>();
        var before = pids.Select(p => ProcessSample.Read(p).CpuSeconds).ToArray();
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => pull()));
            times.Add(watch.Elapsed.TotalSeconds);
        }

        var cpu = pids.Select((p, i) => (ProcessSample.Read(p).CpuSeconds - before[i]) / repeats).ToArray();
        times.Sort();
        return new Timing(times[times.Count / 2], cpu);
    }

    /// <summary>
    /// The reference: every chunk blob of the session downloaded with the Blob SDK, 8 in flight, each streamed into a
    /// buffer of its exact length (the cheapest way the SDK offers; DownloadContent costs the client ≈ 1.5× the CPU).
    /// </summary>
    private static async Task<long> DirectAsync(BlobContainerClient container, RecordingSession session)
    {
        long bytes = 0;
        var chunks = (session.SampleCount + session.ChunkSamples - 1) / session.ChunkSamples;
        await Parallel.ForAsync(0L, chunks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (k, ct) =>
        {
            using var download = (await container.GetBlobClient(ChunkNaming.Chunk(session.Id, k)).DownloadStreamingAsync(cancellationToken: ct)).Value;
            var buffer = new byte[download.Details.ContentLength];
            await download.Content.ReadExactlyAsync(buffer, ct);
            Interlocked.Add(ref bytes, buffer.Length);
        });
        return bytes;
    }

    private static async Task<long> BulkAsync(HttpClient http, string link, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, link);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total == response.Content.Headers.ContentLength ? total : throw new InvalidOperationException($"short body: {total} of {response.Content.Headers.ContentLength}");
    }

    /// <summary>get_neural_data page after page over raw JSON-RPC (the cheapest client), until the window is read.</summary>
    private static async Task<long> PagesAsync(Uri endpoint, string key, string sessionId, double seconds)
    {
        using var http = new HttpClient();
        long bytes = 0;
        double? start = 0;
        var id = 0;
        while (start is { } from)
        {
            var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = ++id, method = "tools/call", @params = new { name = "get_neural_data", arguments = new { session_id = sessionId, start_time = from, end_time = seconds } } });
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            bytes += text.Length;
            var data = text[(text.IndexOf("data: ", StringComparison.Ordinal) + 6)..];
            using var json = JsonDocument.Parse(data);
            var result = json.RootElement.GetProperty("result").GetProperty("structuredContent");
            start = result.GetProperty("truncated").GetBoolean() ? result.GetProperty("next_start_time_s").GetDouble() : null;
        }

        return bytes;
    }

    private static async Task<RecordingSession> StoreAsync(StorageClients clients, int seconds, int channels, int rate)
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = channels, SamplingRateHz = rate, Seed = 9 });
        var catalog = new SessionCatalog(clients);
        var ingest = new SessionIngestService(catalog, new SignalStore(clients));
        var session = await ingest.OpenAsync(new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model,
            Modality = amp.Device.Modality, Channels = amp.Device.Channels, SamplingRateHz = rate, StartTime = DateTimeOffset.UtcNow,
        });
        var buffer = new float[channels * rate];
        for (var s = 0; s < seconds; s++)
        {
            amp.Generate((long)s * rate, rate, buffer);
            await ingest.AppendAsync(new SignalChunk(session.Id, s, (long)s * rate, rate, channels, buffer.ToArray(), amp.EventsBetween((long)s * rate, (long)(s + 1) * rate)));
        }

        return (await catalog.GetAsync(session.Id))!;
    }
}

using System.ComponentModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Server;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using NeuraScale.LocalHost;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Mcp.Security;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Servers.NeuralData;
using NeuraScale.Processing;
using NeuraScale.Domain.Access;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Sequential tool-call latency through the official C# client over Streamable HTTP on loopback: query_sessions on
/// the real server (Azurite catalog with <c>sessions</c> entries) beside an empty tool on a bare SDK server, measured
/// in the same run so the difference is what our server adds.
/// </summary>
public static class McpLatencyBenchmark
{
    public static async Task RunAsync(int calls, int sessions)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        await SeedAsync(storage, sessions);

        // The real server, full pipeline (API key → audit → permission → rate limit → tool), limits raised so the
        // benchmark measures cost, not refusals; the empty tool added beside the real ones.
        await using var real = await McpTestServer.StartAsync(
            storage,
            new() { ["Security:RateLimits:Default"] = "1000000" },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddMcpServer().WithTools<EmptyTool>();
            });
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"]);

        // The same server with the rate-limit counters in process memory: the difference is what the shared store
        // (a Table read and a conditional write per call) costs.
        await using var local = await McpTestServer.StartAsync(
            storage,
            new() { ["Security:RateLimits:Default"] = "1000000", ["Security:RateLimits:Store"] = "in-process" },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddMcpServer().WithTools<EmptyTool>();
            });

        // The same tools on a bare SDK server: no authentication, no filters; a fixed caller, as on stdio.
        var bareApp = BareServer(storage);
        var bareEndpoint = await McpTestServer.StartAsync(bareApp);

        var session = await FirstSessionAsync(real.Endpoint, key);
        var rows = new (string Name, Uri Endpoint, string? Key, string Tool, Dictionary<string, object?> Args)[]
        {
            ("empty tool — bare SDK", bareEndpoint, null, "empty", []),
            ("empty tool — full pipeline, rate limits in process", local.Endpoint, key, "empty", []),
            ("empty tool — full pipeline (shared rate limits)", real.Endpoint, key, "empty", []),
            ("query_sessions (limit 10) — no pipeline", bareEndpoint, null, "query_sessions", new() { ["limit"] = 10 }),
            ("query_sessions (limit 10) — full pipeline, rate limits in process", local.Endpoint, key, "query_sessions", new() { ["limit"] = 10 }),
            ("query_sessions (limit 10) — full pipeline (shared rate limits)", real.Endpoint, key, "query_sessions", new() { ["limit"] = 10 }),
            ("query_sessions (limit 100) — no pipeline", bareEndpoint, null, "query_sessions", new() { ["limit"] = 100 }),
            ("query_sessions (limit 100) — full pipeline", real.Endpoint, key, "query_sessions", new() { ["limit"] = 100 }),
            ("get_neural_data (2 ch × 2 s) — full pipeline", real.Endpoint, key, "get_neural_data", new() { ["session_id"] = session, ["channels"] = new object[] { "O1", "O2" }, ["start_time"] = 10, ["end_time"] = 12 }),
        };

        Console.WriteLine($"{calls} sequential calls each, {sessions} sessions in the catalog, {Environment.ProcessorCount} cores");
        Console.WriteLine("| tool | p50 ms | p90 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            Print(row.Name, await MeasureAsync(row.Endpoint, row.Key, row.Tool, row.Args, calls));
        }

        await bareApp.StopAsync();
        await bareApp.DisposeAsync();
    }

    private static void Print(string name, double[] ms)
    {
        Array.Sort(ms);
        double P(double q) => ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
        Console.WriteLine($"| {name} | {P(0.50):0.00} | {P(0.90):0.00} | {P(0.99):0.00} | {ms[^1]:0.00} |");
    }

    private static async Task<double[]> MeasureAsync(Uri endpoint, string? key, string tool, Dictionary<string, object?> args, int calls)
    {
        await using var client = await McpTestServer.ConnectAsync(endpoint, key);
        for (var i = 0; i < 50; i++)
        {
            await client.CallToolAsync(tool, args); // warm-up: JIT, connection pool
        }

        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await client.CallToolAsync(tool, args);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (result.IsError == true)
            {
                throw new InvalidOperationException($"{tool} failed during the benchmark.");
            }
        }

        return samples;
    }

    private static async Task<string> FirstSessionAsync(Uri endpoint, string key)
    {
        await using var client = await McpTestServer.ConnectAsync(endpoint, key);
        var result = await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 1 });
        return System.Text.Json.JsonSerializer.SerializeToElement(result.StructuredContent).GetProperty("sessions")[0].GetProperty("session_id").GetString()!;
    }

    internal static async Task SeedAsync(StorageOptions options, int sessions)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(options);
        await clients.EnsureCreatedAsync();
        var ingest = new SessionIngestService(new SessionCatalog(clients), new SignalStore(clients));
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 16, SamplingRateHz = 250 });
        var patient = PatientPseudonym.New();
        for (var s = 0; s < sessions; s++)
        {
            var session = await ingest.OpenAsync(new RecordingSession
            {
                Id = SessionId.New(), Patient = patient, DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model, Modality = Modality.EEG,
                Channels = amp.Device.Channels, SamplingRateHz = 250, StartTime = DateTimeOffset.UtcNow.AddMinutes(-s),
            });
            // Twenty seconds of data in every session, so any can be read.
            for (var k = 0; k < 20; k++)
            {
                var samples = new float[16 * 250];
                amp.Generate(k * 250, 250, samples);
                await ingest.AppendAsync(new Formats.SignalChunk(session.Id, k, k * 250, 250, 16, samples, amp.EventsBetween(k * 250, (k + 1) * 250)));
            }

            // Finished, as nearly every recording in a catalog is (the newest may still be recording).
            if (s > 0)
            {
                await ingest.CloseAsync(session.Id, SessionStatus.Completed);
            }
        }
    }

    private static WebApplication BareServer(StorageOptions storage) =>
        BareServer(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage)));

    /// <summary>
    /// The bare SDK server as its own process (for the load benchmark, which samples its memory and CPU): storage from
    /// NEURASCALE_ environment variables, the port from FUNCTIONS_CUSTOMHANDLER_PORT, like the real server's.
    /// </summary>
    public static async Task RunBareServerAsync()
    {
        var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "8081";
        var app = BareServer(["--urls", "http://127.0.0.1:" + port], builder => builder.Configuration.AddEnvironmentVariables("NEURASCALE_"));
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
    }

    private static WebApplication BareServer(string[] args, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure(builder);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddNeuraScaleStorage(builder.Configuration);
        builder.Services.AddNeuraScaleApplication(builder.Configuration);
        builder.Services.AddNeuraScaleSecurity(builder.Configuration);
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<SessionTools>(ToolResults.Json).WithTools<EmptyTool>();
        var app = builder.Build();
        app.Services.GetRequiredService<StdioIdentity>().Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "benchmark"), new Claim(ClaimTypes.Name, "benchmark"), new Claim(ClaimTypes.Role, "admin")], "benchmark"));
        app.MapMcp("/mcp");
        return app;
    }

    [McpServerToolType]
    public sealed class EmptyTool
    {
        [McpServerTool(Name = "empty", ReadOnly = true), Description("Does nothing: the SDK's own cost of a tool call.")]
        [RequiresPermission(Permissions.NeuralDataRead)]
        public static string Empty() => "ok";
    }
}

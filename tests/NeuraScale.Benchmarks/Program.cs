using BenchmarkDotNet.Running;
using NeuraScale.Benchmarks;

// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- mcp-latency [calls] [sessions]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- --filter '*'      (BenchmarkDotNet)
if (args.Length > 0 && args[0] == "mcp-latency")
{
    var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    var sessions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100;
    await McpLatencyBenchmark.RunAsync(calls, sessions);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ChunkCodecBenchmarks).Assembly).Run(args);

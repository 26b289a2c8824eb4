using BenchmarkDotNet.Running;
using NeuraScale.Benchmarks;

// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- mcp-latency [calls] [sessions]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- export-throughput [seconds] [channels] [rate]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- mcp-roundtrips [repeats]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- import-throughput [seconds] [channels] [rate] [concurrent]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- audit-append [entries] [callers] [writers]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- device-roundtrip [commands]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- signal-quality [seconds] [repeats]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- capture-ingest [seconds] [sessions]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- eventhubs-sink [chunks]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- report [seconds] [channels] [rate] [repeats]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- load [open-loop clients, e.g. 100,500,1000] [closed-loop workers, e.g. 1,10,100] [seconds]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- bulk-read [seconds] [channels] [rate] [repeats]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- catalog-scale [sizes, e.g. 1000,100000,1000000]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- viewer-page [pages per row] [viewers, e.g. 1,8]
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- dsp-cold      (the first sosfiltfilt of a fresh process)
// dotnet run -c Release --project tests/NeuraScale.Benchmarks -- --filter '*'      (BenchmarkDotNet)
if (args.Length > 0 && args[0] == "load")
{
    int[] List(int i, string fallback) => (args.Length > i ? args[i] : fallback).Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await LoadBenchmark.RunAsync(List(1, "100,300,500,1000"), List(2, "1,10,100"), args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

if (args.Length > 0 && args[0] == "dsp-cold")
{
    // What a Function's first invocation pays: JIT and first touch included, 64 ch × 1 h at 1 kHz, one call each.
    var signal = new NeuraScale.Benchmarks.SignalProcessingBenchmarks();
    signal.SetUp();
    if (args.Length > 1 && args[1] == "touched")
    {
        signal.TouchOutputs(); // diagnosis: the output pages already mapped
    }

    var watch = System.Diagnostics.Stopwatch.StartNew();
    signal.SosFiltFiltMultichannel();
    var cold = watch.Elapsed.TotalSeconds;
    watch.Restart();
    signal.SosFiltFiltMultichannel();
    Console.WriteLine(FormattableString.Invariant($"multichannel sosfiltfilt, 64 ch × 1 h: first call {cold:0.000} s, second {watch.Elapsed.TotalSeconds:0.000} s; RSS {Environment.WorkingSet / 1e6:0} MB (the 64 × 3.6 M input and output arrays are 3.7 GB of it)"));
    return;
}

if (args.Length > 0 && args[0] == "viewer-page")
{
    await ViewerPageBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60, (args.Length > 2 ? args[2] : "1,8").Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "catalog-scale")
{
    await CatalogScaleBenchmark.RunAsync((args.Length > 1 ? args[1] : "1000,100000").Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "bulk-read")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await BulkReadBenchmark.RunAsync(Arg(1, 600), Arg(2, 64), Arg(3, 1000), Arg(4, 3));
    return;
}

if (args.Length > 0 && args[0] == "bare-server")
{
    await McpLatencyBenchmark.RunBareServerAsync();
    return;
}

if (args.Length > 0 && args[0] == "export-throughput")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await ExportBenchmark.RunAsync(Arg(1, 3600), Arg(2, 64), Arg(3, 1000));
    return;
}

if (args.Length == 4 && args[0] == "export-one")
{
    await ExportBenchmark.RunOneAsync(args[1], args[2], args[3]);
    return;
}

if (args.Length > 0 && args[0] == "mcp-latency")
{
    var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    var sessions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100;
    await McpLatencyBenchmark.RunAsync(calls, sessions);
    return;
}

if (args.Length > 0 && args[0] == "import-throughput")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await ImportBenchmark.RunAsync(Arg(1, 600), Arg(2, 64), Arg(3, 1000), Arg(4, 4));
    return;
}

if (args.Length > 0 && args[0] == "audit-append")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await AuditBenchmark.RunAsync(Arg(1, 50_000), Arg(2, 64), Arg(3, 4));
    return;
}

if (args.Length > 0 && args[0] == "device-roundtrip")
{
    await DeviceControlBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}

if (args.Length > 0 && args[0] == "eventhubs-sink")
{
    await EventHubsSinkBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 600);
    return;
}

if (args.Length > 0 && args[0] == "capture-ingest")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await CaptureIngestBenchmark.RunAsync(Arg(1, 120), Arg(2, 4));
    return;
}

if (args.Length > 0 && args[0] == "signal-quality")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    SignalQualityBenchmark.Run(Arg(1, 10), Arg(2, 10));
    return;
}

if (args.Length > 0 && args[0] == "report")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await ReportBenchmark.RunAsync(Arg(1, 1200), Arg(2, 21), Arg(3, 256), Arg(4, 3));
    return;
}

if (args.Length > 0 && args[0] == "mcp-roundtrips")
{
    await McpRoundTripsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ChunkCodecBenchmarks).Assembly).Run(args);

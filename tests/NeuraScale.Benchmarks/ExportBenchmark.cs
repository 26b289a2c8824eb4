using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.LocalHost;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Export throughput and peak memory per format for one recording on Azurite (default 64 channels × 1 h × 1 kHz), each
/// export in a fresh process with its managed heap capped (so memory that grew with the recording would fail the
/// run) and its peak resident set (VmHWM) its own; then, as the anchor, MNE reading the EDF
/// back, writing the same data as FIF with its own writer, and reading our FIF.
/// </summary>
public static class ExportBenchmark
{
    /// <summary>Managed heap cap of each export process (DOTNET_GCHeapHardLimit).</summary>
    public const long HeapLimitMegabytes = 256;

    public static async Task RunAsync(int seconds, int channels, int rate)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var clients = StorageServiceCollectionExtensions.CreateClients(new StorageOptions { ConnectionString = azurite.ConnectionString });
        await clients.EnsureCreatedAsync();
        var stopwatch = Stopwatch.StartNew();
        var session = await StoreAsync(clients, seconds, channels, rate);
        var sampleMb = (double)session.SampleCount * channels * sizeof(float) / 1e6;
        Console.WriteLine(FormattableString.Invariant($"Stored {channels} ch × {seconds} s × {rate} Hz ({sampleMb:0.#} MB of float32 samples) on Azurite in {stopwatch.Elapsed.TotalSeconds:0.#} s."));
        Console.WriteLine();
        Console.WriteLine($"Each export in its own process with the managed heap capped at {HeapLimitMegabytes} MB (DOTNET_GCHeapHardLimit).");
        Console.WriteLine("| format | seconds | MB/s of sample data | file MB | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        var work = Directory.CreateTempSubdirectory("export-bench-").FullName;
        try
        {
            foreach (var format in new[] { "read-only" }.Concat(ExportFormats.Names))
            {
                var result = RunChild(format, azurite.ConnectionString, session.Id.Value);
                var fileMb = result.GetProperty("bytes").GetInt64() / 1e6;
                var elapsed = result.GetProperty("seconds").GetDouble();
                Console.WriteLine(FormattableString.Invariant($"| {format} | {elapsed:0.0} | {sampleMb / elapsed:0} | {(format == "read-only" ? "—" : fileMb.ToString("0", CultureInfo.InvariantCulture))} | {result.GetProperty("peak_rss_mb").GetDouble():0} |"));
                if (format is "edf" or "fif")
                {
                    var blob = result.GetProperty("blob").GetString()!;
                    await clients.ExportsContainer.GetBlobClient(blob).DownloadToAsync(Path.Combine(work, "export." + format));
                }

                if (format != "read-only")
                {
                    foreach (var blob in result.GetProperty("blobs").EnumerateArray())
                    {
                        await clients.ExportsContainer.DeleteBlobIfExistsAsync(blob.GetString());
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("MNE-Python on the same files (seconds, one run each):");
            var mne = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "python", "mne_export_reference.py"), Path.Combine(work, "export.edf"), Path.Combine(work, "export.fif")]))!;
            await mne.WaitForExitAsync();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The child: one export (or a read of every block, with nothing written), timed, with its peak memory.</summary>
    public static async Task RunOneAsync(string format, string connectionString, string sessionId)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(new StorageOptions { ConnectionString = connectionString });
        var catalog = new SessionCatalog(clients);
        var session = (await catalog.GetAsync(SessionId.Parse(sessionId)))!;
        var source = new SignalBlockReader(new SignalWindowReader(new SignalStore(clients)));
        var request = new ExportRequest(session.Id.Value, ExportFormats.Parse(format) ?? ExportFormat.Edf, [.. Enumerable.Range(0, session.Channels.Count)], 0, session.SampleCount, 1);
        var stopwatch = Stopwatch.StartNew();
        ExportSummary? summary = null;
        if (format == "read-only")
        {
            await foreach (var _ in source.ReadAsync(new ExportPlan(session, request)))
            {
            }
        }
        else
        {
            summary = await new ExportService(catalog, source, new ExportFileStore(clients)).ExportAsync(request, "bench-" + format, null, CancellationToken.None);
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            seconds = elapsed,
            bytes = summary?.Files.Sum(f => f.SizeBytes) ?? 0,
            blob = summary?.Files[0].BlobName,
            blobs = summary?.Files.Select(f => f.BlobName).ToArray() ?? [],
            peak_rss_mb = PeakResidentMegabytes(),
        }));
    }

    private static JsonElement RunChild(string format, string connectionString, string sessionId)
    {
        // Started through the apphost or through "dotnet <dll>": start the child the same way.
        var host = Environment.ProcessPath!;
        string[] prefix = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(ExportBenchmark).Assembly.Location] : [];
        var start = new ProcessStartInfo(host, [.. prefix, "export-one", format, connectionString, sessionId])
        {
            RedirectStandardOutput = true,
        };

        // The bounded-memory claim, enforced: the export must finish with the managed heap capped far below the recording's size.
        start.Environment["DOTNET_GCHeapHardLimit"] = (HeapLimitMegabytes << 20).ToString("X", CultureInfo.InvariantCulture);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"export-one {format} failed ({child.ExitCode}): {output}");
        }

        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    /// <summary>VmHWM: the most resident memory this process ever had, MB.</summary>
    private static double PeakResidentMegabytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();

    /// <summary>The recording: one minute of the simulator repeated (markers too), written as one-second chunks.</summary>
    private static async Task<RecordingSession> StoreAsync(StorageClients clients, int seconds, int channels, int rate)
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = channels, SamplingRateHz = rate, Seed = 7 });
        const int minute = 60;
        var blocks = Enumerable.Range(0, minute).Select(s =>
        {
            var buffer = new float[channels * rate];
            amp.Generate((long)s * rate, rate, buffer);
            return (buffer, amp.EventsBetween((long)s * rate, (long)(s + 1) * rate));
        }).ToArray();
        var catalog = new SessionCatalog(clients);
        var ingest = new SessionIngestService(catalog, new SignalStore(clients));
        var session = await ingest.OpenAsync(new RecordingSession
        {
            Id = SessionId.New(), Patient = PatientPseudonym.New(), DeviceId = amp.Device.Id, DeviceModel = amp.Device.Model,
            Modality = amp.Device.Modality, Channels = amp.Device.Channels, SamplingRateHz = rate, StartTime = DateTimeOffset.UtcNow,
        });
        await Parallel.ForAsync(0, seconds, new ParallelOptions { MaxDegreeOfParallelism = 1 }, async (s, ct) =>
        {
            var (buffer, events) = blocks[s % minute];
            var shifted = events.Select(e => e with { Sample = e.Sample + ((long)(s / minute) * minute * rate) }).ToArray();
            await ingest.AppendAsync(new SignalChunk(session.Id, s, (long)s * rate, rate, channels, buffer, shifted), ct);
        });
        return (await catalog.GetAsync(session.Id))!;
    }
}

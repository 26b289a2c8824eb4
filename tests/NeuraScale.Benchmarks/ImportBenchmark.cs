using System.Diagnostics;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Formats.Edf;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Import throughput on Azurite: an EDF of a simulated recording (default 64 channels × 600 s × 1 kHz) checked and
/// decoded alone, imported (check, decode, chunk, upload, catalog) sequentially and as several concurrent imports,
/// beside two references measured in the same run: the bare SDK uploading the same encoded chunks with the same
/// parallelism (the storage bound), and MNE-Python reading the same file (the parse bound). The real EEGMMIDB file
/// is imported too (small: per-import overhead).
/// </summary>
public static class ImportBenchmark
{
    public static async Task RunAsync(int seconds, int channels, int rate, int concurrent)
    {
        var work = Directory.CreateTempSubdirectory("import-bench-").FullName;
        try
        {
            var path = Path.Combine(work, "recording.edf");
            await WriteEdfAsync(path, seconds, channels, rate);
            var fileMb = new FileInfo(path).Length / 1e6;
            var sampleMb = (double)seconds * channels * rate * sizeof(float) / 1e6;
            Console.WriteLine(FormattableString.Invariant($"EDF of {channels} ch × {seconds} s × {rate} Hz: {fileMb:0.#} MB on disk, {sampleMb:0.#} MB of float32 samples to store."));
            Console.WriteLine("| step | seconds | MB/s of file |");
            Console.WriteLine("|---|---:|---:|");

            var decode = Stopwatch.StartNew();
            using (var source = EdfSessionSource.Open(path))
            {
                foreach (var chunk in source.Chunks(SessionId.New()))
                {
                    ChunkCodec.Encode(chunk);
                }
            }

            Row("check + decode + encode chunks (no storage)", decode.Elapsed.TotalSeconds, fileMb);

            await using var azurite = await AzuriteProcess.StartAsync();
            var clients = StorageServiceCollectionExtensions.CreateClients(new StorageOptions { ConnectionString = azurite.ConnectionString });
            await clients.EnsureCreatedAsync();
            var importer = new RecordingImporter(new SessionIngestService(new SessionCatalog(clients), new SignalStore(clients)));

            var one = Stopwatch.StartNew();
            await ImportAsync(importer, path);
            Row("import, one at a time", one.Elapsed.TotalSeconds, fileMb);

            var many = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => Task.Run(() => ImportAsync(importer, path))));
            Row($"import, {concurrent} concurrent (total file MB / wall time)", many.Elapsed.TotalSeconds, fileMb * concurrent);

            // The storage bound: the same encoded chunks uploaded by the bare SDK, 8 in flight, no check or catalog.
            var encoded = new List<(string Name, byte[] Bytes)>();
            using (var source = EdfSessionSource.Open(path))
            {
                var id = SessionId.New();
                encoded.AddRange(source.Chunks(id).Select(c => (ChunkNaming.Chunk(id, c.Sequence), ChunkCodec.Encode(c))));
            }

            var bare = Stopwatch.StartNew();
            await Parallel.ForEachAsync(encoded, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
                await clients.SignalsContainer.GetBlobClient(chunk.Name).UploadAsync(new BinaryData(chunk.Bytes), ct));
            Row("reference: bare SDK upload of the same chunks (8 in flight)", bare.Elapsed.TotalSeconds, fileMb);

            var real = RepositoryPaths.EegMmiDb("S001R02.edf");
            var small = Stopwatch.StartNew();
            const int Repeats = 5;
            for (var i = 0; i < Repeats; i++)
            {
                await ImportAsync(importer, real);
            }

            Console.WriteLine(FormattableString.Invariant($"| import of the real EEGMMIDB S001R02 (1.26 MB, 64 ch × 60 s × 160 Hz), mean of {Repeats} | {small.Elapsed.TotalSeconds / Repeats:0.00} | {1.255 / (small.Elapsed.TotalSeconds / Repeats):0.#} |"));

            // Debian's Python, which sees python3-mne (the pyenv python3 on PATH does not).
            var python = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
            python.ArgumentList.Add("-c");
            python.ArgumentList.Add("import sys, time, mne; mne.set_log_level('ERROR'); t = time.perf_counter(); mne.io.read_raw_edf(sys.argv[1], preload=True); print(time.perf_counter() - t)");
            python.ArgumentList.Add(path);
            using var process = Process.Start(python)!;
            var mne = double.Parse((await process.StandardOutput.ReadToEndAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await process.WaitForExitAsync();
            Row("reference: MNE read_raw_edf(preload=True) of the same file", mne, fileMb);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task ImportAsync(RecordingImporter importer, string path)
    {
        using var source = EdfSessionSource.Open(path);
        await importer.ImportAsync(source, SessionId.New(), PatientPseudonym.New(), "benchmark");
    }

    private static void Row(string step, double seconds, double megabytes) =>
        Console.WriteLine(FormattableString.Invariant($"| {step} | {seconds:0.00} | {megabytes / seconds:0.#} |"));

    /// <summary>An EDF+ of the simulator's EEG, written as an export writes it.</summary>
    private static async Task WriteEdfAsync(string path, int seconds, int channels, int rate)
    {
        var amplifier = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = channels, SamplingRateHz = rate, Seed = 9 });
        var spec = new EdfFileSpec("psn_x", "ses_x", "simulator", new DateTime(2026, 1, 2, 3, 4, 5), rate, (long)seconds * rate,
            amplifier.Device.Channels.Select(c => new EdfChannelSpec(c.Name, "", "uV", -3000, 3000, "")).ToArray(), []);
        await using var file = File.Create(path);
        var writer = await EdfWriter.CreateAsync(file, spec);
        var block = new float[channels * rate];
        var data = Enumerable.Range(0, channels).Select(_ => new double[rate]).ToArray();
        for (var s = 0; s < seconds; s++)
        {
            amplifier.Generate((long)s * rate, rate, block);
            for (var c = 0; c < channels; c++)
            {
                for (var i = 0; i < rate; i++)
                {
                    data[c][i] = block[(c * rate) + i];
                }
            }

            await writer.WriteAsync(data, rate);
        }

        await writer.CompleteAsync();
    }
}

using BenchmarkDotNet.Attributes;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Csv;
using NeuraScale.Formats.Edf;
using NeuraScale.Formats.Fif;
using NeuraScale.Formats.Mat;
using NeuraScale.Formats.Parquet;

namespace NeuraScale.Benchmarks;

/// <summary>
/// The export writers alone — no storage — on one minute of 64-channel 1 kHz simulated EEG (3.84 M samples, 15.4 MB of
/// float32), written in one-second blocks to <see cref="Stream.Null"/>: the serialisation cost inside an export, apart
/// from reading chunks and uploading (see the export-throughput benchmark for the whole path).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ExportWriterBenchmarks
{
    private const int Channels = 64;
    private const int Rate = 1000;
    private const int Seconds = 60;
    private float[][][] _blocks = null!;
    private double[][][] _doubleBlocks = null!;
    private string[] _names = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = Channels, SamplingRateHz = Rate, Seed = 3 });
        _names = amp.Device.Channels.Select(c => c.Name).ToArray();
        _blocks = Enumerable.Range(0, Seconds).Select(s =>
        {
            var interleaved = new float[Channels * Rate];
            amp.Generate((long)s * Rate, Rate, interleaved);
            return Enumerable.Range(0, Channels).Select(c => interleaved.AsSpan(c * Rate, Rate).ToArray()).ToArray();
        }).ToArray();
        _doubleBlocks = _blocks.Select(b => b.Select(ch => ch.Select(v => (double)v).ToArray()).ToArray()).ToArray();
    }

    [Benchmark]
    public async Task Edf()
    {
        var spec = new EdfFileSpec("psn_x", "ses_x", "sim", new DateTime(2026, 1, 1), Rate, (long)Seconds * Rate,
            _names.Select(n => new EdfChannelSpec(n, "AgAgCl electrode", "uV", -500, 500, "")).ToArray(), []);
        var writer = await EdfWriter.CreateAsync(Stream.Null, spec);
        foreach (var block in _doubleBlocks)
        {
            await writer.WriteAsync(block, Rate);
        }

        await writer.CompleteAsync();
    }

    [Benchmark]
    public async Task Mat()
    {
        var spec = new MatFileSpec("recording", _names, _names.Select(_ => "uV").ToArray(), Rate, (long)Seconds * Rate, "2026-01-01T00:00:00Z", "ses_x", []);
        var writer = await MatV5Writer.CreateAsync(Stream.Null, spec);
        foreach (var block in _blocks)
        {
            await writer.WriteAsync(block, Rate);
        }

        await writer.CompleteAsync();
    }

    [Benchmark]
    public async Task Csv()
    {
        await using var text = new StreamWriter(Stream.Null, bufferSize: 1 << 16);
        await using var writer = await CsvSignalWriter.CreateAsync(text, _names.Select(n => (n, "uV")).ToArray(), Rate);
        foreach (var block in _blocks)
        {
            await writer.WriteAsync(block, Rate);
        }

        await writer.FlushAsync();
    }

    [Benchmark]
    public async Task Parquet()
    {
        await using var writer = await ParquetSignalWriter.CreateAsync(Stream.Null, _names, Rate, new Dictionary<string, string>());
        foreach (var block in _blocks)
        {
            await writer.WriteAsync(block, Rate);
        }

        await writer.CompleteAsync();
    }

    [Benchmark]
    public async Task Fif()
    {
        var spec = new FifFileSpec(_names.Select(n => new FifChannelSpec(n)).ToArray(), Rate, DateTimeOffset.UnixEpoch, 0, Rate / 2.0, []);
        var writer = await FifRawWriter.CreateAsync(Stream.Null, spec);
        foreach (var block in _blocks)
        {
            await writer.WriteAsync(block, Rate);
        }

        await writer.CompleteAsync();
    }
}

using BenchmarkDotNet.Attributes;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Signals;

namespace NeuraScale.Benchmarks;

/// <summary>The chunk codec on one second of a 64-channel, 1 kHz recording (256 KB of samples).</summary>
[MemoryDiagnoser]
public class ChunkCodecBenchmarks
{
    private SignalChunk _chunk = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 1000 });
        var samples = new float[64 * 1000];
        amp.Generate(0, 1000, samples);
        _chunk = new SignalChunk(SessionId.New(), 0, 0, 1000, 64, samples, amp.EventsBetween(0, 1000));
        _encoded = ChunkCodec.Encode(_chunk);
    }

    [Benchmark]
    public byte[] Encode() => ChunkCodec.Encode(_chunk);

    [Benchmark]
    public SignalChunk Decode() => ChunkCodec.Decode(_encoded);
}

/// <summary>Anti-aliased decimation of one channel, 60 s at 1 kHz, factor 4 (81 taps).</summary>
public class DecimationBenchmarks
{
    private readonly double[] _signal = Enumerable.Range(0, 60_000).Select(i => Math.Sin(i * 0.01) + Math.Sin(i * 1.3)).ToArray();
    private readonly double[] _taps = Decimation.AntiAliasTaps(4);
    private readonly double[] _output = new double[15_000];

    [Benchmark]
    public void FilterAndDownsample() => Decimation.FilterAndDownsample(_signal, _taps, 0, 4, _output);
}

/// <summary>The simulator generating one second of 64-channel 1 kHz EEG (what the relay does in real time).</summary>
public class SimulatorBenchmarks
{
    private readonly SimulatedAmplifier _amp = new(new SimulatorOptions { ChannelCount = 64, SamplingRateHz = 1000 });
    private readonly float[] _buffer = new float[64 * 1000];

    [Benchmark]
    public void GenerateOneSecond() => _amp.Generate(0, 1000, _buffer);
}

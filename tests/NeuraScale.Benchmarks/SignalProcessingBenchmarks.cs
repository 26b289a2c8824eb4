using BenchmarkDotNet.Attributes;
using NeuraScale.Signals.Filters;
using NeuraScale.Signals.Spectral;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Zero-phase filtering and Welch spectra over a 64-channel, 1-hour, 1 kHz recording (230 M samples), one channel
/// after another on one thread, as SciPy does it in <c>python/scipy_signal_reference.py</c> (run beside it by
/// <c>scripts/benchmark-signals</c>).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class SignalProcessingBenchmarks
{
    public const int Channels = 64;
    public const int Samples = 3_600_000;
    public const double Rate = 1000;
    public const int Segment = 2000; // 2 s Welch segments, 50 % overlap

    private readonly SecondOrderSections _bandPass = ButterworthDesign.Design(4, FilterKind.BandPass, Rate, 1, 40);
    private double[][] _signal = null!;
    private double[][] _output = null!;
    private double[][] _psd = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var rng = new Random(20261125);
        _signal = Enumerable.Range(0, Channels).Select(_ => Enumerable.Range(0, Samples).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        _output = Enumerable.Range(0, Channels).Select(_ => new double[Samples]).ToArray();
        _psd = Enumerable.Range(0, Channels).Select(_ => new double[Welch.BinCount(Segment)]).ToArray();
    }

    /// <summary>Writes every output page once (diagnosis of a cold run: page faults versus compute).</summary>
    public void TouchOutputs()
    {
        foreach (var output in _output)
        {
            output.AsSpan().Fill(1);
        }
    }

    /// <summary>scipy.signal.sosfiltfilt(butter(4, [1, 40], 'bandpass', output='sos', fs=1000), x).</summary>
    [Benchmark]
    public void SosFiltFilt()
    {
        for (var c = 0; c < Channels; c++)
        {
            _bandPass.FilterZeroPhase(_signal[c], _output[c]);
        }
    }

    /// <summary>The same sosfiltfilt, four channels per 256-bit vector, groups on both cores, no full-length temporary.</summary>
    [Benchmark]
    public void SosFiltFiltMultichannel() => MultichannelZeroPhase.Filter(_bandPass, _signal, _output);

    /// <summary>The multichannel kernel on one core: what SIMD alone gives.</summary>
    [Benchmark]
    public void SosFiltFiltMultichannelOneCore() => MultichannelZeroPhase.Filter(_bandPass, _signal, _output, maxDegreeOfParallelism: 1);

    /// <summary>scipy.signal.welch(x, fs=1000, nperseg=2000, noverlap=1000).</summary>
    [Benchmark]
    public void Welch2s()
    {
        for (var c = 0; c < Channels; c++)
        {
            Welch.Psd(_signal[c], Rate, Segment, Segment / 2, PsdScaling.Density, _psd[c]);
        }
    }

    /// <summary>The same Welch with channels on both cores, as the spectral analysis runs it.</summary>
    [Benchmark]
    public void Welch2sAllCores() => Welch.Psd(_signal, Rate, Segment, Segment / 2, PsdScaling.Density, _psd);
}

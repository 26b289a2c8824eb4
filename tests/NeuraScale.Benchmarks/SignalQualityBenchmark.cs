using System.Diagnostics;
using System.Globalization;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Signals.Quality;

namespace NeuraScale.Benchmarks;

/// <summary>
/// What monitor_signal_quality costs the relay: <see cref="SignalQuality.Assess"/> on 64 channels × 1 kHz of simulated
/// EEG with faults, per second of signal — one at a time and with several devices assessed at once — beside SciPy
/// computing the spectral part (Welch, band powers, line floor) of the same samples in the same run.
/// </summary>
public static class SignalQualityBenchmark
{
    public static void Run(int seconds, int repeats)
    {
        const int Channels = 64;
        const double Fs = 1000;
        var amp = new SimulatedAmplifier(new SimulatorOptions
        {
            ChannelCount = Channels, SamplingRateHz = Fs, Seed = 5, PoorContactChannels = ["T8"], PopChannels = ["C3"], MuscleChannels = ["T7", "T8"], FlatChannels = ["F3"],
        });
        var n = (int)(seconds * Fs);
        var samples = new float[Channels * n];
        amp.Generate(0, n, samples);
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var input = new QualityInput(Fs, names, QualityProfile.Eeg(Fs), 50, amp.Settings.InputRangeMicrovolts, [0, 1]);

        SignalQuality.Assess(samples, input); // warm-up (JIT, filter designs)
        var sequential = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            SignalQuality.Assess(samples, input);
            sequential.Add(watch.Elapsed.TotalMilliseconds);
        }

        // Four devices on one relay assessed at once (2 cores here): the wall time of the batch.
        var concurrent = new List<double>();
        for (var r = 0; r < Math.Max(1, repeats / 2); r++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, 4, _ => SignalQuality.Assess(samples, input));
            concurrent.Add(watch.Elapsed.TotalMilliseconds);
        }

        var path = Path.Combine(Path.GetTempPath(), $"quality-bench-{Environment.ProcessId}.f64");
        using (var file = new BinaryWriter(File.Create(path)))
        {
            foreach (var v in samples)
            {
                file.Write((double)v);
            }
        }

        var python = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        python.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", "scipy_quality_reference.py"));
        foreach (var a in new[] { path, Channels.ToString(CultureInfo.InvariantCulture), Fs.ToString(CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture) })
        {
            python.ArgumentList.Add(a);
        }

        using var process = Process.Start(python)!;
        var scipy = double.Parse(process.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture) * 1000;
        process.WaitForExit();
        File.Delete(path);

        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine($"64 ch × 1 kHz × {seconds} s, {repeats} repeats (medians):");
        Console.WriteLine("| what | ms per call | ms per second of signal |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| SignalQuality.Assess, one at a time (spectra + pops, muscle, blinks, flat/railed) | {Median(sequential):0.0} | {Median(sequential) / seconds:0.00} |");
        Console.WriteLine($"| SignalQuality.Assess, 4 devices at once (wall time of the 4) | {Median(concurrent):0.0} | {Median(concurrent) / seconds:0.00} |");
        Console.WriteLine($"| SciPy reference, spectral part only (welch + band powers + line floor) | {scipy:0.0} | {scipy / seconds:0.00} |");
    }
}

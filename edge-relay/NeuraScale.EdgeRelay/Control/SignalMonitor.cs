using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuraScale.Amplifiers;
using NeuraScale.Domain;
using NeuraScale.Signals.Quality;
using NeuraScale.Storage.Devices;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>
/// monitor_signal_quality, computed where the samples are: on the relay, over the next <c>duration_seconds</c> of live
/// signal — the recording's own blocks while recording (an amplifier streams to one reader), otherwise a stretch read
/// from the connected device. The figures are <see cref="SignalQuality"/>'s, a pure function of those samples; the
/// result names the samples (first sample, count) so they can be looked at again.
/// </summary>
public sealed class SignalMonitor(DeviceRecordings recordings, TimeProvider time)
{
    public const double DefaultSeconds = 10, MaximumSeconds = 60;

    public async Task<JsonObject> MonitorAsync(ControlledDevice device, string argumentsJson, CancellationToken cancellationToken)
    {
        var seconds = ParseDuration(argumentsJson);
        device.RequireAny("monitor_signal_quality", DeviceStates.Connected, DeviceStates.Recording);
        var driver = device.Driver;
        var settings = driver.Settings;
        var layout = driver.Device;
        var wanted = (long)Math.Round(seconds * layout.SamplingRateHz);
        var droppedBefore = driver.ReadDiagnostics().DroppedSamples;
        var session = device.SessionId;

        // Bounded: a device that stops delivering is reported, not waited on for ever.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 15), time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stream = recordings.Tap(device, deadline.Token) ?? Preview(device, driver, wanted, deadline.Token);
        var (first, samples) = await CollectAsync(stream, layout.Channels.Count, wanted, deadline, cancellationToken).ConfigureAwait(false);
        var count = samples.Length / layout.Channels.Count;
        if (count < SignalQuality.MinimumSeconds * layout.SamplingRateHz)
        {
            throw new DeviceCommandException($"Device {device.Id} delivered {count / layout.SamplingRateHz:0.0} s of signal before {(session is null ? "it stopped" : "the recording ended")}; signal quality needs at least {SignalQuality.MinimumSeconds:0} s. Check the device (get_device_diagnostics) and try again.");
        }

        var names = layout.Channels.Select(c => c.Name).ToArray();
        var input = new QualityInput(
            layout.SamplingRateHz,
            names,
            ProfileFor(layout.Modality, layout.SamplingRateHz),
            settings.LineFrequencyHz,
            settings.InputRangeMicrovolts,
            layout.Modality == Modality.EEG ? FrontalChannels(names) : [],
            Math.Max(0, driver.ReadDiagnostics().DroppedSamples - droppedBefore));
        var report = SignalQuality.Assess(samples, input);
        return QualityReportJson.Build(device, session, first, count, settings, report);
    }

    private static double ParseDuration(string argumentsJson)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        if (!document.RootElement.TryGetProperty("duration_seconds", out var d) || d.ValueKind == JsonValueKind.Null)
        {
            return DefaultSeconds;
        }

        var seconds = d.ValueKind == JsonValueKind.Number ? d.GetDouble() : double.NaN;
        return seconds is >= SignalQuality.MinimumSeconds and <= MaximumSeconds
            ? seconds
            : throw new DeviceCommandException($"duration_seconds must be {SignalQuality.MinimumSeconds.ToString(CultureInfo.InvariantCulture)}–{MaximumSeconds} s of live signal (default {DefaultSeconds}).");
    }

    private static async IAsyncEnumerable<SampleBlock> Preview(ControlledDevice device, IAmplifierDriver driver, long samples, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = device.TakePreview(samples);
        await foreach (var block in driver.ReadAsync(first, first + samples, cancellationToken).ConfigureAwait(false))
        {
            yield return block;
        }
    }

    /// <summary>Channel-major samples of up to <paramref name="wanted"/> per channel, and the index of the first.</summary>
    private static async Task<(long First, float[] Samples)> CollectAsync(IAsyncEnumerable<SampleBlock> stream, int channels, long wanted, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var blocks = new List<SampleBlock>();
        long collected = 0;
        try
        {
            await foreach (var block in stream.ConfigureAwait(false))
            {
                if (block.ChannelCount != channels)
                {
                    break; // the layout changed under us (a new recording): assess what came with the old one
                }

                blocks.Add(block);
                collected += block.SampleCount;
                if (collected >= wanted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The device went quiet: assess what arrived, if it is enough.
        }

        var count = (int)Math.Min(collected, wanted);
        var samples = new float[channels * count];
        var offset = 0;
        foreach (var block in blocks)
        {
            var take = Math.Min(block.SampleCount, count - offset);
            for (var c = 0; c < channels; c++)
            {
                block.Samples.AsSpan(c * block.SampleCount, take).CopyTo(samples.AsSpan((c * count) + offset, take));
            }

            offset += take;
        }

        return (blocks.Count > 0 ? blocks[0].FirstSample : 0, samples);
    }

    private static QualityProfile ProfileFor(Modality modality, double fs) => modality switch
    {
        Modality.ECG => QualityProfile.Ecg(fs),
        Modality.EMG => QualityProfile.Emg(fs),
        _ => QualityProfile.Eeg(fs),
    };

    /// <summary>Fp1/Fp2/Fpz where they exist (blinks are largest there), else the AF row.</summary>
    private static int[] FrontalChannels(string[] names)
    {
        var fp = names.Select((n, i) => (n, i)).Where(x => x.n.StartsWith("Fp", StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToArray();
        return fp.Length > 0 ? fp : names.Select((n, i) => (n, i)).Where(x => x.n.StartsWith("AF", StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToArray();
    }
}

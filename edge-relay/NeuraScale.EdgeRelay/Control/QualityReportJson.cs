using System.Globalization;
using System.Text.Json.Nodes;
using NeuraScale.Amplifiers.Configuration;
using NeuraScale.Signals.Quality;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>monitor_signal_quality's answer: the figures, and recommendations that name the channels and what to do.</summary>
public static class QualityReportJson
{
    /// <summary>Line noise above this RMS on a channel is worth acting on, µV.</summary>
    private const double StrongLineMicrovolts = 10;

    public static JsonObject Build(ControlledDevice device, string? sessionId, long firstSample, int sampleCount, AmplifierSettings settings, SignalQualityReport report)
    {
        var channels = new JsonArray(report.Channels.Select(c => (JsonNode)new JsonObject
        {
            ["channel"] = c.Name,
            ["snr_db"] = Finite(c.SnrDb, 1),
            ["line_noise_uv_rms"] = Finite(c.LineNoiseRms, 2),
            ["line_noise_power_uv2"] = Finite(c.LineNoisePower, 3),
            ["signal_power_uv2"] = Finite(c.SignalPower, 3),
            ["noise_power_uv2"] = Finite(c.NoisePower, 3),
            ["flat"] = c.Flat,
            ["railed"] = c.Railed,
            ["electrode_pops"] = c.Pops,
            ["muscle_bursts"] = c.MuscleBursts,
            ["score"] = c.Score,
            ["rating"] = c.Rating,
        }).ToArray());
        var prominence = new JsonObject();
        foreach (var (hz, db) in report.MainsProminenceDb)
        {
            prominence[hz.ToString(CultureInfo.InvariantCulture)] = Finite(db, 1);
        }

        return new JsonObject
        {
            ["device_id"] = device.Id,
            ["state"] = device.State,
            ["session_id"] = sessionId,
            ["first_sample"] = firstSample,
            ["sample_count"] = sampleCount,
            ["duration_seconds"] = Math.Round(report.DurationSeconds, 3),
            ["sampling_rate_hz"] = settings.SamplingRateHz,
            ["score"] = report.Score,
            ["rating"] = report.Rating,
            ["mains"] = new JsonObject
            {
                ["configured_hz"] = settings.LineFrequencyHz,
                ["detected_hz"] = report.DetectedMainsHz,
                ["measured_at_hz"] = report.LineFrequencyHz,
                ["prominence_db"] = prominence,
            },
            ["artifacts"] = new JsonObject
            {
                ["blinks"] = report.Blinks,
                ["muscle_bursts"] = report.MuscleBursts,
                ["electrode_pops"] = report.Pops,
                ["dropped_samples"] = report.DroppedSamples,
            },
            ["flat_channels"] = Names(report.Channels.Where(c => c.Flat)),
            ["railed_channels"] = Names(report.Channels.Where(c => c.Railed)),
            ["channels"] = channels,
            ["recommendations"] = new JsonArray(Recommend(report, settings).Select(r => (JsonNode)r).ToArray()),
            ["method"] = "Welch PSD (Hann, 2 s segments, 50 % overlap). SNR = power in the physiological band / (noise-band power + line-noise power), mains harmonics ±2 Hz left out of both bands; line noise = power within ±1 Hz of the mains above the median of 2–5 Hz either side. See docs/devices.md.",
        };
    }

    /// <summary>What to do, most serious first; every item names the channels it is about.</summary>
    public static List<string> Recommend(SignalQualityReport report, AmplifierSettings settings)
    {
        var list = new List<string>();
        var live = report.Channels.Where(c => !c.Flat && !c.Railed).ToArray();
        var railed = report.Channels.Where(c => c.Railed).ToArray();
        if (railed.Length > 0)
        {
            var range = settings.InputRangeMicrovolts is { } r ? $" (±{r.ToString("#,0", CultureInfo.InvariantCulture)} µV at gain {settings.Gain})" : string.Empty;
            list.Add($"{Join(railed)} {Verb(railed, "sits", "sit")} at the amplifier's limit{range}: the electrode is off or its DC offset too large. Re-seat and re-gel it, then check_impedance; a lower gain (configure_device) widens the input range. Do not analyse {(railed.Length == 1 ? "it" : "them")} as EEG.");
        }

        var flat = report.Channels.Where(c => c.Flat).ToArray();
        if (flat.Length > 0)
        {
            list.Add($"{Join(flat)} {Verb(flat, "shows", "show")} no signal: check that the lead is plugged in and not bridged by gel to its neighbour, or leave {(flat.Length == 1 ? "it" : "them")} out with configure_device channels.");
        }

        if (report.DetectedMainsHz is { } mains && mains != settings.LineFrequencyHz)
        {
            list.Add($"Mains hum is at {mains:0} Hz but the device is set to {settings.LineFrequencyHz:0} Hz: configure_device line_frequency_hz={mains:0} so notch filters and these checks use the right frequency.");
        }

        var hum = live.Where(c => c.LineNoiseRms > StrongLineMicrovolts).OrderByDescending(c => c.LineNoiseRms).ToArray();
        if (live.Length > 0 && hum.Length * 2 > live.Length)
        {
            list.Add($"Hum at {report.LineFrequencyHz:0} Hz on most channels (median {Median(live.Select(c => c.LineNoiseRms)):0.0} µV rms): check the ground and reference electrodes first, then move mains cables and equipment away from the leads.");
        }
        else if (hum.Length > 0)
        {
            list.Add($"Strong {report.LineFrequencyHz:0} Hz hum at {string.Join(", ", hum.Select(c => $"{c.Name} ({c.LineNoiseRms:0.0} µV rms)"))}: typically a poor electrode contact — check_impedance and re-gel {(hum.Length == 1 ? "it" : "them")}.");
        }

        var noisy = live.Where(c => c.SnrDb < 0 && !hum.Contains(c)).ToArray();
        if (noisy.Length > 0)
        {
            list.Add($"Low signal-to-noise at {Join(noisy)} (below 0 dB): more noise than signal — look for movement, muscle tension or a loose lead.");
        }

        // An electrode that pops again and again is worth fixing; one transient in a minute is not.
        var minutes = report.DurationSeconds / 60;
        var popped = live.Where(c => c.Pops >= Math.Max(2, 2 * minutes)).OrderByDescending(c => c.Pops).ToArray();
        if (popped.Length > 0)
        {
            list.Add($"Electrode pops at {string.Join(", ", popped.Select(c => $"{c.Name} ({c.Pops})"))} in {report.DurationSeconds:0} s: the electrode is loose or drying — re-seat and re-gel it. Pops look like sharp transients: do not read them as epileptiform.");
        }

        if (report.MuscleBursts > 0)
        {
            var sites = live.Where(c => c.MuscleBursts > 0).OrderByDescending(c => c.MuscleBursts).Take(4).ToArray();
            list.Add($"{report.MuscleBursts} muscle burst{(report.MuscleBursts == 1 ? string.Empty : "s")} in {report.DurationSeconds:0} s, mostly at {Join(sites)}: ask the patient to relax the jaw, forehead and neck (open the mouth slightly), or mark the periods.");
        }

        if (report.Blinks is int blinks && blinks > 0)
        {
            var rate = blinks / report.DurationSeconds * 60;
            list.Add($"{blinks} blink{(blinks == 1 ? string.Empty : "s")} in {report.DurationSeconds:0} s at the frontal channels ({rate:0} per minute): expected with eyes open; for an eyes-closed segment ask the patient to keep the eyes gently closed. Mark them, or remove them (e.g. ICA) before analysis.");
        }

        if (report.DroppedSamples > 0)
        {
            list.Add($"{report.DroppedSamples} sample{(report.DroppedSamples == 1 ? " was" : "s were")} lost between amplifier and relay (held at the previous value): check the USB/radio link and move the receiver closer to the amplifier.");
        }

        if (list.Count == 0)
        {
            list.Add(report.Score >= 80 ? "Good signal on every channel: ready to record." : "No specific fault found; the score reflects a modest signal-to-noise ratio — check electrode contact if you need cleaner data.");
        }

        return list;
    }

    private static JsonArray Names(IEnumerable<ChannelQuality> channels) => new(channels.Select(c => (JsonNode)c.Name).ToArray());

    private static string Join(IEnumerable<ChannelQuality> channels) => string.Join(", ", channels.Select(c => c.Name));

    private static string Verb(ChannelQuality[] channels, string one, string many) => channels.Length == 1 ? one : many;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double? Finite(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;
}

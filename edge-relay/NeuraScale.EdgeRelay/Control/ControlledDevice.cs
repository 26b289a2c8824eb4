using System.Text.Json.Nodes;
using NeuraScale.Amplifiers;
using NeuraScale.Amplifiers.Configuration;
using NeuraScale.Storage.Devices;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>A command the device cannot take in its present state, or with these arguments; the tool reports the message.</summary>
public sealed class DeviceCommandException(string message) : Exception(message);

/// <summary>
/// One amplifier and its state machine: disconnected → connected (connect) → disconnected (disconnect); recording is
/// entered and left from connected. A call the current state does not allow is refused, naming the state and the
/// calls that are allowed. Thread-safe: commands for one device are applied one at a time.
/// </summary>
public sealed class ControlledDevice(IAmplifierDriver driver, string driverName, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _connectedAt;

    public IAmplifierDriver Driver { get; } = driver;

    public string DriverName { get; } = driverName;

    public string Id => Driver.Device.Id;

    public string State { get; private set; } = DeviceStates.Disconnected;

    public string? SessionId { get; private set; }

    /// <summary>
    /// Where the next look at the live signal starts while nothing is recording: 0 after connecting, then after the last
    /// look, so two checks see consecutive stretches (a simulator or a file replays them exactly).
    /// </summary>
    public long PreviewPosition { get; private set; }

    /// <summary>Reserves <paramref name="samples"/> of live signal to look at; returns where they start.</summary>
    public long TakePreview(long samples)
    {
        lock (_gate)
        {
            var first = PreviewPosition;
            PreviewPosition += samples;
            return first;
        }
    }

    /// <summary>
    /// configure_device: applies what the device accepts (connected, not recording — a recording keeps the layout it
    /// started with) and reports what it refused and why.
    /// </summary>
    public ConfigurationOutcome Configure(SettingsRequest request)
    {
        lock (_gate)
        {
            Require(DeviceStates.Connected, "configure_device");
            return Driver.Configure(request);
        }
    }

    /// <summary>Throws unless the device is in one of <paramref name="states"/>; for calls that run outside the lock.</summary>
    public void RequireAny(string call, params string[] states)
    {
        lock (_gate)
        {
            if (!states.Contains(State))
            {
                throw new DeviceCommandException($"Device {Id} is {State}: {call} is not possible now. Allowed while {State}: {string.Join(", ", Allowed(State))}.");
            }
        }
    }

    public JsonObject Connect()
    {
        lock (_gate)
        {
            if (State == DeviceStates.Connected)
            {
                return Describe("already connected"); // connecting twice has one effect
            }

            Require(DeviceStates.Disconnected, "connect");
            Driver.Connect();
            State = DeviceStates.Connected;
            PreviewPosition = 0;
            _connectedAt = time.GetUtcNow();
            return Describe("connected");
        }
    }

    public JsonObject Disconnect()
    {
        lock (_gate)
        {
            if (State == DeviceStates.Disconnected)
            {
                return Describe("already disconnected");
            }

            Require(DeviceStates.Connected, "disconnect");
            Driver.Disconnect();
            State = DeviceStates.Disconnected;
            _connectedAt = null;
            return Describe("disconnected");
        }
    }

    /// <summary>connected → recording; the session id follows once the recording has opened it.</summary>
    public void BeginRecording()
    {
        lock (_gate)
        {
            Require(DeviceStates.Connected, "start_recording");
            State = DeviceStates.Recording;
            SessionId = null;
        }
    }

    /// <summary>A recording (started here, or resumed after a restart) has its session.</summary>
    public void Recording(string sessionId)
    {
        lock (_gate)
        {
            State = DeviceStates.Recording;
            SessionId = sessionId;
            _connectedAt ??= time.GetUtcNow();
        }
    }

    /// <summary>recording → connected, when a recording ends for whatever reason.</summary>
    public void EndRecording()
    {
        lock (_gate)
        {
            if (State == DeviceStates.Recording)
            {
                State = DeviceStates.Connected;
            }
        }
    }

    /// <summary>
    /// Electrode impedances per channel, rated as the brief says — good below 5 kΩ, acceptable 5–10, poor from 10 — with
    /// what to do about the electrodes that are not good. Measured while connected, not while recording (the test
    /// current would show in the signal).
    /// </summary>
    public JsonObject CheckImpedance()
    {
        lock (_gate)
        {
            Require(DeviceStates.Connected, "check_impedance");
            var impedances = Driver.MeasureImpedance();
            if (impedances is null || impedances.Count != Driver.Device.Channels.Count)
            {
                throw new DeviceCommandException($"Device {Id} ({DriverName}) does not measure electrode impedance{(DriverName == "edf-playback" ? ": it replays a recorded file" : string.Empty)}.");
            }

            var channels = Driver.Device.Channels.Select((c, i) => (c.Name, Z: Math.Round(impedances[i], 1))).ToArray();
            static string Rate(double z) => z < 5 ? "good" : z < 10 ? "acceptable" : "poor";
            var poor = channels.Where(c => Rate(c.Z) == "poor").ToArray();
            var acceptable = channels.Where(c => Rate(c.Z) == "acceptable").ToArray();
            static string Names((string Name, double Z)[] list) => string.Join(", ", list.Select(c => $"{c.Name} ({c.Z:0.0} kΩ)"));
            var open = channels.Where(c => c.Z >= 1000).ToArray();
            var shorted = channels.Where(c => c.Z < 1).ToArray();
            var recommendations = new JsonArray();
            if (open.Length > 0)
            {
                recommendations.Add($"Open input at {Names(open)}: the electrode is off or its lead unplugged; reconnect it (the channel will otherwise sit at the amplifier's rail).");
            }

            if (shorted.Length > 0)
            {
                recommendations.Add($"Suspiciously low at {Names(shorted)}: a gel bridge to a neighbouring electrode or a shorted input; clean between the electrodes and check the lead.");
            }

            if (poor.Length > 0)
            {
                recommendations.Add($"Poor contact at {Names(poor)}: part the hair, abrade and clean the skin, add gel and re-seat the electrode, then check again before recording; a poor electrode picks up mains hum and movement.");
            }

            if (acceptable.Length > 0)
            {
                recommendations.Add($"Acceptable at {Names(acceptable)}: fine for a routine recording; bring them below 5 kΩ for ERP or research work.");
            }

            if (poor.Length == 0 && acceptable.Length == 0 && shorted.Length == 0)
            {
                recommendations.Add("Every electrode is below 5 kΩ: ready to record.");
            }

            var result = Describe(null);
            result["channels"] = new JsonArray(channels.Select(c => (JsonNode)new JsonObject { ["channel"] = c.Name, ["impedance_kohm"] = c.Z, ["rating"] = Rate(c.Z) }).ToArray());
            result["good"] = channels.Length - poor.Length - acceptable.Length;
            result["acceptable"] = acceptable.Length;
            result["poor"] = poor.Length;
            result["ready_to_record"] = poor.Length == 0;
            result["recommendations"] = recommendations;
            return result;
        }
    }

    /// <summary>Battery, temperature, uptime, dropped samples, clock drift, firmware and settings: readable in any state.</summary>
    public JsonObject Diagnostics()
    {
        lock (_gate)
        {
            var health = Driver.ReadDiagnostics();
            var result = Describe(null);
            result["driver"] = DriverName;
            result["model"] = Driver.Device.Model;
            result["firmware_version"] = Driver.Device.FirmwareVersion;
            result["battery_percent"] = health.BatteryPercent;
            result["temperature_celsius"] = health.TemperatureCelsius;
            result["uptime_seconds"] = Math.Round(health.Uptime.TotalSeconds, 1);
            result["connected_for_seconds"] = _connectedAt is { } since ? Math.Round((time.GetUtcNow() - since).TotalSeconds, 1) : null;
            result["dropped_samples"] = health.DroppedSamples;
            result["clock_drift_ppm"] = health.ClockDriftPpm;
            result["clock_offset_ms"] = health.ClockOffsetMilliseconds;
            result["settings"] = DeviceConfiguration.Describe(Driver.Settings);
            result["capabilities"] = DeviceConfiguration.Describe(Driver.Capabilities);
            var warnings = new JsonArray();
            if (health.BatteryPercent is < 20)
            {
                warnings.Add($"Battery at {health.BatteryPercent:0} %: charge or swap it before a long recording.");
            }

            if (health.TemperatureCelsius is > 45)
            {
                warnings.Add($"Front end at {health.TemperatureCelsius:0.0} °C: check ventilation; noise rises with temperature.");
            }

            if (health.ClockDriftPpm is { } ppm && Math.Abs(ppm) > 100)
            {
                warnings.Add($"Sample clock off by {ppm:0} ppm: timing against other devices will drift {Math.Abs(ppm) * 3.6:0} ms per hour.");
            }

            result["warnings"] = warnings;
            return result;
        }
    }

    private void Require(string state, string call)
    {
        if (State != state)
        {
            throw new DeviceCommandException($"Device {Id} is {State}: {call} is not possible now. Allowed while {State}: {string.Join(", ", Allowed(State))}.");
        }
    }

    private static string[] Allowed(string state) => state switch
    {
        DeviceStates.Disconnected => ["connect_device", "get_device_diagnostics"],
        DeviceStates.Connected => ["configure_device", "check_impedance", "monitor_signal_quality", "start_recording", "disconnect_device", "get_device_diagnostics"],
        DeviceStates.Recording => ["insert_marker", "monitor_signal_quality", "stop_recording", "get_device_diagnostics"],
        _ => ["get_device_diagnostics"],
    };

    private JsonObject Describe(string? outcome)
    {
        var result = new JsonObject { ["device_id"] = Id, ["state"] = State };
        if (outcome is not null)
        {
            result["outcome"] = outcome;
        }

        return result;
    }
}

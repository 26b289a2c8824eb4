using System.Text.Json.Nodes;
using NeuraScale.Amplifiers;
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

    public JsonObject Connect()
    {
        lock (_gate)
        {
            if (State == DeviceStates.Connected)
            {
                return Describe("already connected"); // connecting twice has one effect
            }

            Require(DeviceStates.Disconnected, "connect");
            State = DeviceStates.Connected;
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
            var impedances = Driver.ReadStatus().ImpedancesKOhm;
            if (impedances.Count != Driver.Device.Channels.Count)
            {
                throw new DeviceCommandException($"Device {Id} ({DriverName}) does not measure electrode impedance{(DriverName == "edf-playback" ? ": it replays a recorded file" : string.Empty)}.");
            }

            var channels = Driver.Device.Channels.Select((c, i) => (c.Name, Z: Math.Round(impedances[i], 1))).ToArray();
            static string Rate(double z) => z < 5 ? "good" : z < 10 ? "acceptable" : "poor";
            var poor = channels.Where(c => Rate(c.Z) == "poor").ToArray();
            var acceptable = channels.Where(c => Rate(c.Z) == "acceptable").ToArray();
            static string Names((string Name, double Z)[] list) => string.Join(", ", list.Select(c => $"{c.Name} ({c.Z:0.0} kΩ)"));
            var recommendations = new JsonArray();
            if (poor.Length > 0)
            {
                recommendations.Add($"Poor contact at {Names(poor)}: part the hair, abrade and clean the skin, add gel and re-seat the electrode, then check again before recording; a poor electrode picks up mains hum and movement.");
            }

            if (acceptable.Length > 0)
            {
                recommendations.Add($"Acceptable at {Names(acceptable)}: fine for a routine recording; bring them below 5 kΩ for ERP or research work.");
            }

            if (poor.Length == 0 && acceptable.Length == 0)
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

    /// <summary>Battery, firmware, uptime and layout: readable in any state.</summary>
    public JsonObject Diagnostics()
    {
        lock (_gate)
        {
            var status = Driver.ReadStatus();
            var result = Describe(null);
            result["battery_percent"] = Math.Round(status.BatteryPercent, 1);
            result["firmware_version"] = Driver.Device.FirmwareVersion;
            result["model"] = Driver.Device.Model;
            result["channels"] = new JsonArray(Driver.Device.Channels.Select(c => (JsonNode)c.Name).ToArray());
            result["sampling_rate_hz"] = Driver.Device.SamplingRateHz;
            result["connected_for_seconds"] = _connectedAt is { } since ? Math.Round((time.GetUtcNow() - since).TotalSeconds, 1) : null;
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
        DeviceStates.Connected => ["check_impedance", "start_recording", "disconnect_device", "get_device_diagnostics"],
        DeviceStates.Recording => ["insert_marker", "stop_recording", "get_device_diagnostics"],
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

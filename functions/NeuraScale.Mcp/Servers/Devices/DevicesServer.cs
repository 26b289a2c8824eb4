namespace NeuraScale.Mcp.Servers.Devices;

/// <summary>
/// The device-control server of the brief: amplifiers behind edge relays, controlled through the outbound-only control
/// plane (docs/devices.md). Recording, configuration, impedance and signal-quality tools join these as the relay learns them.
/// </summary>
public static class DevicesServer
{
    public static McpServerDefinition Definition { get; } = new(
        "devices",
        "neurascale-devices",
        "NeuraScale device control",
        "/mcp/devices",
        "Amplifiers behind edge relays. list_devices shows them and their status (offline when a relay stops heartbeating); connect_device, check_impedance, start_recording (for a patient pseudonym; the session is listed by query_sessions at once), insert_marker, stop_recording, disconnect_device and get_device_diagnostics run on the relay through its command queue and wait for the answer; get_command_status follows a command that took longer.",
        [typeof(DeviceTools)]);
}

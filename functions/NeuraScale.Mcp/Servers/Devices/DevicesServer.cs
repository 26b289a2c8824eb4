namespace NeuraScale.Mcp.Servers.Devices;

/// <summary>
/// The device-control server of the brief: amplifiers behind edge relays, controlled through the outbound-only control
/// plane (docs/devices.md): connection, configuration, impedance, signal quality, recording with markers, diagnostics.
/// </summary>
public static class DevicesServer
{
    public static McpServerDefinition Definition { get; } = new(
        "devices",
        "neurascale-devices",
        "NeuraScale device control",
        "/mcp/devices",
        "Amplifiers behind edge relays. list_devices shows them and their status (offline when a relay stops heartbeating); connect_device, configure_device (rate, gain, channels, reference, mains: what was applied and what was refused), check_impedance, monitor_signal_quality (a few seconds of live signal rated per channel, with recommendations), start_recording (for a patient pseudonym; the session is listed by query_sessions at once), insert_marker, stop_recording, disconnect_device and get_device_diagnostics run on the relay through its command queue and wait for the answer; get_command_status follows a command that took longer. A typical session: connect, check_impedance until ready, monitor_signal_quality, start_recording, insert_marker at each task change, stop_recording.",
        [typeof(DeviceTools)]);
}

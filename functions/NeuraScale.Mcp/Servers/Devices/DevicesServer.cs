namespace NeuraScale.Mcp.Servers.Devices;

/// <summary>
/// The device-control server of the brief (list, connect, configure, record, impedance, signal quality, diagnostics).
/// Its route, name and pipeline exist; its tools arrive with the device control plane (issue #13) and go in this folder.
/// </summary>
public static class DevicesServer
{
    public static McpServerDefinition Definition { get; } = new(
        "devices",
        "neurascale-devices",
        "NeuraScale device control",
        "/mcp/devices",
        "Device control of amplifiers behind edge relays. No device tools are served yet: recordings are started on the edge relay itself; find what it recorded with the neural-data server's query_sessions.",
        []);
}

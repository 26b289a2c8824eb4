using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.Devices;

/// <summary>The control plane's timing. Section <c>Devices</c>; relays and the server read the same values.</summary>
public sealed class DeviceControlOptions
{
    public const string SectionName = "Devices";

    /// <summary>How often a relay heartbeats.</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>A relay not heard from for this long is offline, and so are its devices: three missed heartbeats.</summary>
    [Range(2, 3600)]
    public int OfflineAfterSeconds { get; set; } = 30;

    /// <summary>A command not started by then is never run.</summary>
    [Range(5, 3600)]
    public int CommandExpirySeconds { get; set; } = 120;

    /// <summary>How long a tool waits for a command's outcome unless asked otherwise, and the most it may be asked to.</summary>
    [Range(0, 60)]
    public int DefaultWaitSeconds { get; set; } = 20;

    public const int MaxWaitSeconds = 60;
}

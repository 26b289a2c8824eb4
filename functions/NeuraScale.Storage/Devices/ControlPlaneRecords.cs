namespace NeuraScale.Storage.Devices;

/// <summary>An edge relay as it last reported itself: identity, software, and the heartbeat's health figures.</summary>
/// <param name="Id">Relay id (lowercase letters, digits, hyphens; names its command queue).</param>
/// <param name="InstanceId">This run of the relay process: changes at every restart, so a command found running under another instance was interrupted.</param>
/// <param name="SpoolDepth">Chunks written to the local spool and not yet acknowledged by the sink.</param>
/// <param name="SinkLagSeconds">Age of the oldest unacknowledged chunk.</param>
public sealed record RelayRecord(
    string Id,
    string Name,
    string SoftwareVersion,
    string InstanceId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    int HeartbeatSeconds,
    int SpoolDepth,
    double SinkLagSeconds);

/// <summary>Device states as the relay reports them; "offline" is derived by readers from the relay's last heartbeat.</summary>
public static class DeviceStates
{
    public const string Disconnected = "disconnected";
    public const string Connected = "connected";
    public const string Recording = "recording";
    public const string Offline = "offline";
}

/// <summary>An amplifier driven by a relay, as the relay last reported it.</summary>
/// <param name="Id">Device id, unique in the deployment (e.g. <c>lab1-eeg-01</c>).</param>
/// <param name="Driver">simulator or edf-playback (a real amplifier's driver names itself here).</param>
/// <param name="State">disconnected, connected or recording.</param>
/// <param name="SessionId">The session being recorded, when recording.</param>
public sealed record DeviceRecord(
    string Id,
    string RelayId,
    string Model,
    string Modality,
    string Driver,
    string FirmwareVersion,
    int ChannelCount,
    double SamplingRateHz,
    string State,
    string? SessionId,
    double? BatteryPercent,
    DateTimeOffset UpdatedAt);

/// <summary>Command states: queued → running → succeeded | failed; queued → expired (never run).</summary>
public static class CommandStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Expired = "expired";

    public static bool IsFinished(string state) => state is Succeeded or Failed or Expired;
}

/// <summary>
/// One command for one device on one relay, and what came of it. <see cref="Arguments"/> and <see cref="Result"/> are
/// JSON; <see cref="RunBy"/> names the relay instance that claimed it.
/// </summary>
public sealed record CommandRecord(
    string Id,
    string RelayId,
    string DeviceId,
    string Kind,
    string Arguments,
    string Caller,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    public string? Result { get; init; }

    public string? Error { get; init; }

    public string? RunBy { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}

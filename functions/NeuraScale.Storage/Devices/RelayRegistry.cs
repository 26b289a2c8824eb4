using Azure;
using Azure.Data.Tables;

namespace NeuraScale.Storage.Devices;

/// <summary>
/// Relays and the devices they drive, in two tables: <c>relays</c> (partition = relay id) and <c>devices</c>
/// (partition = device id). Every read and write by a relay or a tool is a point operation in its own partition, so
/// many relays heartbeating and many devices changing state never contend; listing is a scan, for the few thousand
/// devices a deployment has.
/// </summary>
public sealed class RelayRegistry(StorageClients clients)
{
    private const string Row = "";

    /// <summary>Registers (or re-registers after a restart) a relay; also its heartbeat.</summary>
    public Task UpsertRelayAsync(RelayRecord relay, CancellationToken cancellationToken = default) =>
        clients.RelaysTable.UpsertEntityAsync(new TableEntity(relay.Id, Row)
        {
            ["Name"] = relay.Name,
            ["SoftwareVersion"] = relay.SoftwareVersion,
            ["InstanceId"] = relay.InstanceId,
            ["StartedAt"] = relay.StartedAt,
            ["LastSeen"] = relay.LastSeen,
            ["HeartbeatSeconds"] = relay.HeartbeatSeconds,
            ["SpoolDepth"] = relay.SpoolDepth,
            ["SinkLagSeconds"] = relay.SinkLagSeconds,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<RelayRecord?> GetRelayAsync(string relayId, CancellationToken cancellationToken = default)
    {
        var found = await clients.RelaysTable.GetEntityIfExistsAsync<TableEntity>(relayId, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? ToRelay(found.Value!) : null;
    }

    public async Task<IReadOnlyList<RelayRecord>> ListRelaysAsync(CancellationToken cancellationToken = default)
    {
        var relays = new List<RelayRecord>();
        await foreach (var entity in clients.RelaysTable.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            relays.Add(ToRelay(entity));
        }

        return relays;
    }

    public Task UpsertDeviceAsync(DeviceRecord device, CancellationToken cancellationToken = default) =>
        clients.DevicesTable.UpsertEntityAsync(new TableEntity(device.Id, Row)
        {
            ["RelayId"] = device.RelayId,
            ["Model"] = device.Model,
            ["Modality"] = device.Modality,
            ["Driver"] = device.Driver,
            ["FirmwareVersion"] = device.FirmwareVersion,
            ["ChannelCount"] = device.ChannelCount,
            ["SamplingRateHz"] = device.SamplingRateHz,
            ["State"] = device.State,
            ["SessionId"] = device.SessionId,
            ["BatteryPercent"] = device.BatteryPercent,
            ["UpdatedAt"] = device.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        try
        {
            var found = await clients.DevicesTable.GetEntityIfExistsAsync<TableEntity>(deviceId, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? ToDevice(found.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 400)
        {
            return null; // not a valid key: no such device
        }
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string? relayId = null, CancellationToken cancellationToken = default)
    {
        var filter = relayId is null ? null : TableClient.CreateQueryFilter($"RelayId eq {relayId}");
        var devices = new List<DeviceRecord>();
        await foreach (var entity in clients.DevicesTable.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            devices.Add(ToDevice(entity));
        }

        return devices;
    }

    private static RelayRecord ToRelay(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Name") ?? e.PartitionKey,
        e.GetString("SoftwareVersion") ?? "unknown",
        e.GetString("InstanceId") ?? string.Empty,
        e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("LastSeen") ?? DateTimeOffset.MinValue,
        e.GetInt32("HeartbeatSeconds") ?? 0,
        e.GetInt32("SpoolDepth") ?? 0,
        e.GetDouble("SinkLagSeconds") ?? 0);

    private static DeviceRecord ToDevice(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("RelayId") ?? string.Empty,
        e.GetString("Model") ?? string.Empty,
        e.GetString("Modality") ?? string.Empty,
        e.GetString("Driver") ?? string.Empty,
        e.GetString("FirmwareVersion") ?? string.Empty,
        e.GetInt32("ChannelCount") ?? 0,
        e.GetDouble("SamplingRateHz") ?? 0,
        e.GetString("State") ?? DeviceStates.Disconnected,
        e.GetString("SessionId"),
        e.GetDouble("BatteryPercent"),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
}

using Azure;
using Azure.Data.Tables;

namespace NeuraScale.Storage.Devices;

/// <summary>
/// Command records in the <c>commands</c> table, one partition per command. State changes are conditional on the ETag
/// read, so of two deliveries of one command exactly one claims it (queued → running), and an expired command is
/// marked expired instead of being run.
/// </summary>
public sealed class CommandStore(StorageClients clients, TimeProvider time)
{
    private const string Row = "";

    public Task CreateAsync(CommandRecord command, CancellationToken cancellationToken = default) =>
        clients.CommandsTable.AddEntityAsync(ToEntity(command), cancellationToken);

    public async Task<CommandRecord?> GetAsync(string commandId, CancellationToken cancellationToken = default)
    {
        var (entity, _) = await ReadAsync(commandId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>
    /// Claims a queued command for <paramref name="instance"/>: returns it as running, or — when it is gone, already
    /// claimed, finished, or expired (then marked so) — returns the record as it stands with <c>Claimed = false</c>.
    /// </summary>
    public async Task<(CommandRecord? Command, bool Claimed)> TryClaimAsync(string commandId, string instance, CancellationToken cancellationToken = default)
    {
        var (entity, etag) = await ReadAsync(commandId, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (null, false);
        }

        var command = FromEntity(entity);
        if (command.State != CommandStates.Queued)
        {
            return (command, false);
        }

        var now = time.GetUtcNow();
        var next = now >= command.ExpiresAt
            ? command with { State = CommandStates.Expired, CompletedAt = now, Error = $"Expired at {command.ExpiresAt:u} before the relay could run it; it was not run." }
            : command with { State = CommandStates.Running, StartedAt = now, RunBy = instance };
        try
        {
            await clients.CommandsTable.UpdateEntityAsync(ToEntity(next), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return (next, next.State == CommandStates.Running);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return (await GetAsync(commandId, cancellationToken).ConfigureAwait(false), false); // another delivery won
        }
    }

    /// <summary>Records the outcome of a command this instance claimed.</summary>
    public Task CompleteAsync(CommandRecord command, string state, string? result, string? error, CancellationToken cancellationToken = default) =>
        clients.CommandsTable.UpdateEntityAsync(
            ToEntity(command with { State = state, Result = result, Error = error, CompletedAt = time.GetUtcNow() }),
            ETag.All,
            TableUpdateMode.Replace,
            cancellationToken);

    private async Task<(TableEntity? Entity, ETag ETag)> ReadAsync(string commandId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await clients.CommandsTable.GetEntityIfExistsAsync<TableEntity>(commandId, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? (found.Value, found.Value!.ETag) : (null, default);
        }
        catch (RequestFailedException ex) when (ex.Status == 400)
        {
            return (null, default);
        }
    }

    private static TableEntity ToEntity(CommandRecord c) => new(c.Id, Row)
    {
        ["RelayId"] = c.RelayId,
        ["DeviceId"] = c.DeviceId,
        ["Kind"] = c.Kind,
        ["Arguments"] = c.Arguments,
        ["Caller"] = c.Caller,
        ["State"] = c.State,
        ["CreatedAt"] = c.CreatedAt,
        ["ExpiresAt"] = c.ExpiresAt,
        ["Result"] = c.Result,
        ["Error"] = c.Error,
        ["RunBy"] = c.RunBy,
        ["StartedAt"] = c.StartedAt,
        ["CompletedAt"] = c.CompletedAt,
    };

    private static CommandRecord FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("RelayId") ?? string.Empty,
        e.GetString("DeviceId") ?? string.Empty,
        e.GetString("Kind") ?? string.Empty,
        e.GetString("Arguments") ?? "{}",
        e.GetString("Caller") ?? string.Empty,
        e.GetString("State") ?? CommandStates.Queued,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue)
    {
        Result = e.GetString("Result"),
        Error = e.GetString("Error"),
        RunBy = e.GetString("RunBy"),
        StartedAt = e.GetDateTimeOffset("StartedAt"),
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
    };
}

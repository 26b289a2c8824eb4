using System.Runtime.CompilerServices;

namespace NeuraScale.Storage.Audit;

/// <summary>
/// Reads the audit log's entries back (every writer's segments, in order): what compliance reports are made from.
/// Read-only; the chain is checked by <see cref="IAuditLog.VerifyAsync"/>, not here.
/// </summary>
public sealed class AuditReader(StorageClients clients)
{
    private readonly AuditArchive _archive = new(clients);

    /// <summary>Entries whose time lies in [<paramref name="from"/>, <paramref name="to"/>), writer by writer, each in sequence order.</summary>
    public async IAsyncEnumerable<AuditEntry> ReadAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var writer in (await _archive.ListAsync(cancellationToken).ConfigureAwait(false)).Values)
        {
            foreach (var segment in writer.Segments)
            {
                await foreach (var line in _archive.ReadLinesAsync(writer.Writer, segment, cancellationToken).ConfigureAwait(false))
                {
                    if (AuditChain.Parse(line) is { } entry && entry.Time >= from && entry.Time < to)
                    {
                        yield return entry;
                    }
                }
            }
        }
    }
}

using NeuraScale.Storage;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Testing;

/// <summary>Every line of the audit log as stored (all writers, segments in order): what an auditor reading the container sees.</summary>
public static class AuditLines
{
    public static async Task<string[]> ReadAsync(StorageOptions storage, CancellationToken cancellationToken) =>
        await ReadAsync(StorageServiceCollectionExtensions.CreateClients(storage), cancellationToken).ConfigureAwait(false);

    public static async Task<string[]> ReadAsync(StorageClients clients, CancellationToken cancellationToken)
    {
        var archive = new AuditArchive(clients);
        var lines = new List<string>();
        foreach (var writer in (await archive.ListAsync(cancellationToken).ConfigureAwait(false)).Values)
        {
            foreach (var segment in writer.Segments)
            {
                await foreach (var line in archive.ReadLinesAsync(writer.Writer, segment, cancellationToken).ConfigureAwait(false))
                {
                    lines.Add(line);
                }
            }
        }

        return [.. lines];
    }

    /// <summary>The blob name of a writer's segment, for tests that tamper with it.</summary>
    public static string SegmentName(string writer, int segment) => AuditArchive.SegmentName(writer, segment);
}

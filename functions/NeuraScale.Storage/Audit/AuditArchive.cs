using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace NeuraScale.Storage.Audit;

/// <summary>
/// Where the audit log lives in the <c>audit</c> container: every writer (one server or job-app process) appends only to
/// its own segments, <c>entries/{writer}/{segment:000000}.jsonl</c> (append blobs, closed before Azure's 50,000-block
/// limit), and records its head in write-once <c>checkpoints/{writer}/{sequence:000000000000}-{hash}.json</c> blobs.
/// No two processes append to one blob, so there is no contention and no append-position race on the hot path.
/// </summary>
internal sealed class AuditArchive(StorageClients clients)
{
    private const string EntriesPrefix = "entries/";
    private const string CheckpointsPrefix = "checkpoints/";

    /// <summary>How much of a segment's end is read to find its last entry (entries are well under 1 KB).</summary>
    private const int TailBytes = 64 * 1024;

    private BlobContainerClient Container => clients.AuditContainer;

    public static string SegmentName(string writer, int segment) => $"{EntriesPrefix}{writer}/{segment.ToString("D6", CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>Creates a writer's next segment; false when a blob of that name already exists.</summary>
    public async Task<bool> CreateSegmentAsync(string writer, int segment, CancellationToken cancellationToken)
    {
        try
        {
            await Segment(writer, segment).CreateAsync(new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Appends one block at exactly <paramref name="position"/>; returns the segment's committed block count.</summary>
    public async Task<int> AppendAsync(string writer, int segment, byte[] block, long position, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(block, writable: false);
        var response = await Segment(writer, segment).AppendBlockAsync(
            stream,
            new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = position } },
            cancellationToken).ConfigureAwait(false);
        return response.Value.BlobCommittedBlockCount;
    }

    /// <summary>A segment's length, block count and last complete entry (null when it holds none).</summary>
    public async Task<(long Length, int Blocks, AuditEntry? Last)> TailAsync(string writer, int segment, CancellationToken cancellationToken)
    {
        var blob = Segment(writer, segment);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        if (properties.ContentLength == 0)
        {
            return (0, properties.BlobCommittedBlockCount, null);
        }

        var from = Math.Max(0, properties.ContentLength - TailBytes);
        var download = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(from, properties.ContentLength - from) }, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(download.Value.Content.ToArray()).TrimEnd('\n');
        var last = AuditChain.Parse(text[(text.LastIndexOf('\n') + 1)..]);
        return (properties.ContentLength, properties.BlobCommittedBlockCount, last);
    }

    /// <summary>Writes a checkpoint once; the name carries sequence and hash so verification needs only a listing.</summary>
    public async Task WriteCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var name = $"{CheckpointsPrefix}{checkpoint.Writer}/{checkpoint.Sequence.ToString("D12", CultureInfo.InvariantCulture)}-{checkpoint.Hash}.json";
        var body = BinaryData.FromObjectAsJson(checkpoint, AuditChain.Json);
        try
        {
            await Container.GetBlobClient(name).UploadAsync(body, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already recorded (a retried upload): checkpoints are write-once.
        }
    }

    /// <summary>Every writer's segments (in order) and checkpoints, from two listings.</summary>
    public async Task<IReadOnlyDictionary<string, AuditWriterLayout>> ListAsync(CancellationToken cancellationToken)
    {
        var writers = new SortedDictionary<string, AuditWriterLayout>(StringComparer.Ordinal);
        AuditWriterLayout Of(string writer) => writers.TryGetValue(writer, out var w) ? w : writers[writer] = new AuditWriterLayout(writer);

        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = EntriesPrefix }, cancellationToken).ConfigureAwait(false))
        {
            var parts = item.Name[EntriesPrefix.Length..].Split('/');
            if (parts.Length == 2 && parts[1].EndsWith(".jsonl", StringComparison.Ordinal) && int.TryParse(parts[1][..^6], NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
            {
                Of(parts[0]).Segments.Add(segment);
            }
            else
            {
                Of(parts[0]).Strays.Add(item.Name);
            }
        }

        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = CheckpointsPrefix }, cancellationToken).ConfigureAwait(false))
        {
            var parts = item.Name[CheckpointsPrefix.Length..].Split('/');
            var dash = parts.Length == 2 ? parts[1].IndexOf('-', StringComparison.Ordinal) : -1;
            if (dash > 0 && parts[1].EndsWith(".json", StringComparison.Ordinal) && long.TryParse(parts[1][..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                Of(parts[0]).Checkpoints[sequence] = parts[1][(dash + 1)..^5];
            }
        }

        foreach (var writer in writers.Values)
        {
            writer.Segments.Sort();
        }

        return writers;
    }

    /// <summary>A segment's lines, streamed (a segment may hold millions of entries).</summary>
    public async IAsyncEnumerable<string> ReadLinesAsync(string writer, int segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await Segment(writer, segment).OpenReadAsync(new BlobOpenReadOptions(allowModifications: true), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private AppendBlobClient Segment(string writer, int segment) => Container.GetAppendBlobClient(SegmentName(writer, segment));
}

/// <summary>What storage holds for one writer: segment numbers, checkpoints (sequence → hash), and blobs that fit neither.</summary>
internal sealed class AuditWriterLayout(string writer)
{
    public string Writer { get; } = writer;

    public List<int> Segments { get; } = [];

    public SortedDictionary<long, string> Checkpoints { get; } = [];

    public List<string> Strays { get; } = [];
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;


namespace NeuraScale.Storage.Audit;

/// <summary>
/// One audit entry: who did what to which resources, with what outcome, how long it took. Arguments appear only as a
/// keyed hash (HMAC-SHA256), never raw: they may contain PHI. <see cref="Hash"/> chains the entry to the one before.
/// </summary>
public sealed record AuditEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Caller { get; init; }
    public required string Action { get; init; }
    public IReadOnlyList<string> Resources { get; init; } = [];
    public required string Outcome { get; init; }
    public double LatencyMs { get; init; }
    public string? ArgumentsHash { get; init; }
    public string PreviousHash { get; init; } = AuditLog.GenesisHash;
    public string Hash { get; init; } = string.Empty;
}

/// <summary>The result of checking the chain.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenSequence, string Detail);

/// <summary>
/// An append-only, hash-chained audit log in one Append Blob (<c>audit/audit.jsonl</c>; an immutable container in
/// Azure). Each line is an entry whose hash is SHA-256 over the previous hash and the entry's canonical JSON, so editing,
/// removing or reordering any line breaks every link after it. Appends from several instances are ordered by an
/// append-position condition: a writer that lost the race re-reads the tail and tries again.
/// </summary>
public sealed class AuditLog(StorageClients clients, TimeProvider time, IOptions<AuditOptions> options) : IAuditLog, IDisposable
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private readonly AppendBlobClient _blob = clients.AuditContainer.GetAppendBlobClient("audit.jsonl");
    // Read (and so validated) when first needed: verifying the chain needs no secret, so 'audit verify' runs without it.
    private readonly Lazy<byte[]> _argumentKey = new(() => Encoding.UTF8.GetBytes(options.Value.ArgumentHashKey));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long Length, long Sequence, string Hash)? _tail;

    /// <summary>Keyed hash of a tool's arguments: equal arguments give equal hashes, but the hash cannot be reversed by guessing.</summary>
    public string HashArguments(string canonicalJson) => Convert.ToHexStringLower(HMACSHA256.HashData(_argumentKey.Value, Encoding.UTF8.GetBytes(canonicalJson)));

    /// <summary>Appends an entry, assigning its sequence number, time and chain hashes.</summary>
    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tail is null)
            {
                await _blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 0; ; attempt++)
            {
                var tail = _tail ?? await ReadTailAsync(cancellationToken).ConfigureAwait(false);
                var sealedEntry = Seal(entry with { Sequence = tail.Sequence + 1, Time = time.GetUtcNow(), PreviousHash = tail.Hash });
                var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sealedEntry, Json) + "\n");
                try
                {
                    using var stream = new MemoryStream(line);
                    await _blob.AppendBlockAsync(stream, new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = tail.Length } }, cancellationToken).ConfigureAwait(false);
                    _tail = (tail.Length + line.Length, sealedEntry.Sequence, sealedEntry.Hash);
                    return sealedEntry;
                }
                catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 20)
                {
                    _tail = null; // another instance appended first: re-read the tail
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Walks the whole chain and reports the first entry whose link does not hold.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        if (!await _blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new AuditVerification(true, 0, null, "The audit log is empty.");
        }

        var content = (await _blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
        var previous = GenesisHash;
        long count = 0;
        foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            count++;
            AuditEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<AuditEntry>(line, Json);
            }
            catch (JsonException)
            {
                entry = null;
            }

            if (entry is null)
            {
                return new AuditVerification(false, count, count, $"Line {count} is not a valid audit entry.");
            }

            if (entry.Sequence != count)
            {
                return new AuditVerification(false, count, count, $"Line {count} carries sequence {entry.Sequence}: an entry was removed or reordered.");
            }

            if (entry.PreviousHash != previous)
            {
                return new AuditVerification(false, count, entry.Sequence, $"Entry {entry.Sequence} does not link to the entry before it: an entry was removed or changed.");
            }

            if (Seal(entry).Hash != entry.Hash)
            {
                return new AuditVerification(false, count, entry.Sequence, $"Entry {entry.Sequence} was altered after it was written (its hash no longer matches its content).");
            }

            previous = entry.Hash;
        }

        return new AuditVerification(true, count, null, $"All {count} entries link correctly.");
    }

    public void Dispose() => _gate.Dispose();

    private static AuditEntry Seal(AuditEntry entry)
    {
        var body = JsonSerializer.Serialize(entry with { Hash = string.Empty }, Json);
        return entry with { Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.PreviousHash + body))) };
    }

    private async Task<(long Length, long Sequence, string Hash)> ReadTailAsync(CancellationToken cancellationToken)
    {
        var content = (await _blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        var text = Encoding.UTF8.GetString(content).TrimEnd('\n');
        if (text.Length == 0)
        {
            return (content.Length, 0, GenesisHash);
        }

        var last = JsonSerializer.Deserialize<AuditEntry>(text[(text.LastIndexOf('\n') + 1)..], Json)!;
        return (content.Length, last.Sequence, last.Hash);
    }
}

/// <summary>Where audit entries go: who did what to which resources, with what outcome. Every layer that acts on someone's behalf writes here.</summary>
public interface IAuditLog
{
    /// <summary>Keyed hash of a call's arguments: equal arguments give equal hashes, but the hash cannot be reversed by guessing.</summary>
    string HashArguments(string canonicalJson);

    /// <summary>Appends an entry (durable when the task completes), assigning its sequence number, time and chain hashes.</summary>
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain and reports the first entry whose link does not hold.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>Audit settings. Section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The key every development machine shares; refused outside the Development environment.</summary>
    public const string DevelopmentKey = "neurascale-local-development-audit-key";

    /// <summary>Shortest key accepted: 256 bits of hex or base64 text, or a passphrase of that length.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// Key of the argument hash (HMAC-SHA256). In Azure it comes from Key Vault (an app setting holding a Key Vault
    /// reference); the development default only keeps local logs from carrying guessable plain hashes.
    /// </summary>
    public string ArgumentHashKey { get; set; } = DevelopmentKey;
}

/// <summary>
/// Start-up check of <see cref="AuditOptions"/>: a key of at least <see cref="AuditOptions.MinimumKeyLength"/>
/// characters, and never the public development key outside Development — with it, anyone could confirm a guess of
/// the arguments behind an audit entry.
/// </summary>
public sealed class AuditOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var key = options.ArgumentHashKey ?? string.Empty;
        if (key == AuditOptions.DevelopmentKey)
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Audit:ArgumentHashKey is the public development key, which is refused in the '{environment.EnvironmentName}' environment. Set Audit:ArgumentHashKey (NEURASCALE_Audit__ArgumentHashKey) to a secret of at least {AuditOptions.MinimumKeyLength} characters, e.g. a Key Vault reference; or run with DOTNET_ENVIRONMENT=Development locally.");
        }

        return key.Trim().Length >= AuditOptions.MinimumKeyLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Audit:ArgumentHashKey must be a secret of at least {AuditOptions.MinimumKeyLength} characters (it keys the hash of tool arguments in the audit log); it has {key.Trim().Length}.");
    }
}

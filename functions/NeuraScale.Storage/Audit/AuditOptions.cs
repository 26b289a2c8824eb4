using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NeuraScale.Storage.Audit;

/// <summary>Audit settings. Section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The key every development machine shares; refused outside the Development environment.</summary>
    public const string DevelopmentKey = "neurascale-local-development-audit-key";

    /// <summary>Shortest key accepted: 256 bits of hex or base64 text, or a passphrase of that length.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>An append blob holds at most 50,000 blocks (Azure's limit); a segment is closed before that.</summary>
    public const int AppendBlobBlockLimit = 50_000;

    /// <summary>
    /// The audit secret: keys the hash of tool arguments and (through a derived key) the chain. In Azure it comes from
    /// Key Vault (an app setting holding a Key Vault reference); the development default only keeps local logs from
    /// carrying guessable plain hashes.
    /// </summary>
    public string ArgumentHashKey { get; set; } = DevelopmentKey;

    /// <summary>Blocks after which a writer closes its segment and starts the next (tests lower it).</summary>
    public int MaxBlocksPerSegment { get; set; } = 49_000;

    /// <summary>Most entries committed in one append (group commit): what queued while the previous append was in flight.</summary>
    public int MaxEntriesPerAppend { get; set; } = 256;

    /// <summary>How often a writer records its head in a write-once checkpoint while it has new entries.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// Start-up check of <see cref="AuditOptions"/>: a key of at least <see cref="AuditOptions.MinimumKeyLength"/>
/// characters, and never the public development key outside Development — with it, anyone could confirm a guess of
/// the arguments behind an audit entry, or re-seal an edited chain; and segment, group and checkpoint sizes in range.
/// </summary>
public sealed class AuditOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var failures = new List<string>();
        var key = options.ArgumentHashKey ?? string.Empty;
        if (key == AuditOptions.DevelopmentKey)
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"Audit:ArgumentHashKey is the public development key, which is refused in the '{environment.EnvironmentName}' environment. Set Audit:ArgumentHashKey (NEURASCALE_Audit__ArgumentHashKey) to a secret of at least {AuditOptions.MinimumKeyLength} characters, e.g. a Key Vault reference; or run with DOTNET_ENVIRONMENT=Development locally.");
            }
        }
        else if (key.Trim().Length < AuditOptions.MinimumKeyLength)
        {
            failures.Add($"Audit:ArgumentHashKey must be a secret of at least {AuditOptions.MinimumKeyLength} characters (it keys the audit chain and the hash of tool arguments); it has {key.Trim().Length}.");
        }

        if (options.MaxBlocksPerSegment is < 1 or > AuditOptions.AppendBlobBlockLimit)
        {
            failures.Add($"Audit:MaxBlocksPerSegment must be 1–{AuditOptions.AppendBlobBlockLimit} (an append blob's block limit); it is {options.MaxBlocksPerSegment}.");
        }

        if (options.MaxEntriesPerAppend is < 1 or > 1000)
        {
            failures.Add($"Audit:MaxEntriesPerAppend must be 1–1000; it is {options.MaxEntriesPerAppend}.");
        }

        if (options.CheckpointIntervalSeconds is < 1 or > 3600)
        {
            failures.Add($"Audit:CheckpointIntervalSeconds must be 1–3600; it is {options.CheckpointIntervalSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

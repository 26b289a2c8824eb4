using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Keys;

namespace NeuraScale.Mcp.Security;

/// <summary>Section <c>Security:ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Security:ApiKeys";

    /// <summary>
    /// How long an instance trusts a key it has validated before asking the key store again: the bound within which a
    /// revoked key stops working on every instance. 0 asks the store on every request.
    /// </summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 30;
}

/// <summary>
/// Validated API keys remembered for <see cref="ApiKeyOptions.CacheSeconds"/>, so a busy caller costs the key table one
/// read per lifetime instead of one per call. Keyed by the token's SHA-256 (a different secret for the same key id
/// never matches an entry). Only accepted keys are remembered; an entry is dropped as soon as its key expires, and a
/// refusal from the store removes it. Bounded: past <see cref="MaxEntries"/> the cache starts over.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore keys, IOptions<ApiKeyOptions> options, TimeProvider time)
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async Task<ApiKeyRecord?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var lifetime = TimeSpan.FromSeconds(options.Value.CacheSeconds);
        if (lifetime == TimeSpan.Zero)
        {
            return await keys.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        }

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(id, out var entry) && entry.Until > now && entry.Key.IsActive(now))
        {
            return entry.Key;
        }

        var key = await keys.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            _entries.TryRemove(id, out _);
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[id] = (key, now + lifetime);
        return key;
    }
}

using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using NeuraScale.Domain;


namespace NeuraScale.Storage.Keys;

/// <summary>An API key as stored: everything but the secret, which is kept only as a salted hash.</summary>
public sealed record ApiKeyRecord(
    string KeyId,
    string Name,
    IReadOnlyList<string> Roles,
    IReadOnlyList<PatientPseudonym>? PatientScope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>
/// API keys in Table storage. A key is <c>nsk_{keyId}_{secret}</c>: the key id finds the row, the 160-bit random
/// secret is checked against SHA-256(salt ‖ secret) in constant time. The secret is shown once, at creation.
/// </summary>
public sealed class ApiKeyStore(StorageClients clients, TimeProvider time)
{
    public const string Prefix = "nsk_";
    private const string Partition = "key";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private readonly TableClient _table = clients.ApiKeysTable;

    /// <summary>Creates a key and returns it with its one-time secret token.</summary>
    public async Task<(ApiKeyRecord Key, string Token)> CreateAsync(string name, IReadOnlyList<string> roles, IReadOnlyList<PatientPseudonym>? patientScope, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (roles.Count == 0)
        {
            throw new ArgumentException("A key needs at least one role.", nameof(roles));
        }

        var keyId = Identifiers.RandomBase32(12);
        var secret = Identifiers.RandomBase32(32);
        var salt = RandomNumberGenerator.GetBytes(16);
        var record = new ApiKeyRecord(keyId, name.Trim(), roles, patientScope, time.GetUtcNow(), expiresAt, null, null);
        await _table.AddEntityAsync(
            new TableEntity(Partition, keyId)
            {
                ["Name"] = record.Name,
                ["Roles"] = string.Join(',', roles),
                ["PatientScope"] = patientScope is null ? null : string.Join(',', patientScope.Select(p => p.Value)),
                ["Salt"] = Convert.ToBase64String(salt),
                ["Hash"] = Convert.ToBase64String(Hash(salt, secret)),
                ["CreatedAt"] = record.CreatedAt,
                ["ExpiresAt"] = expiresAt,
            },
            cancellationToken).ConfigureAwait(false);
        return (record, $"{Prefix}{keyId}_{secret}");
    }

    /// <summary>The key a token stands for, when the token is well-formed, the secret matches and the key is active.</summary>
    public async Task<ApiKeyRecord?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!TryParse(token, out var keyId, out var secret))
        {
            return null;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, keyId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        var expected = Convert.FromBase64String(entity.GetString("Hash"));
        var actual = Hash(Convert.FromBase64String(entity.GetString("Salt")), secret);
        var record = ToRecord(entity);
        var now = time.GetUtcNow();
        if (!CryptographicOperations.FixedTimeEquals(expected, actual) || !record.IsActive(now))
        {
            return null;
        }

        if (record.LastUsedAt is null || now - record.LastUsedAt > LastUsedResolution)
        {
            // Best effort and coarse: one write per key per minute at most, never failing the request.
            try
            {
                await _table.UpdateEntityAsync(new TableEntity(Partition, keyId) { ["LastUsedAt"] = now }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException)
            {
            }
        }

        return record;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<ApiKeyRecord>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ToRecord(entity));
        }

        return keys.OrderBy(k => k.CreatedAt).ToArray();
    }

    /// <summary>Revokes a key; returns false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(Partition, keyId) { ["RevokedAt"] = time.GetUtcNow() }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="token"/> has the shape of one of our keys (not that it is valid).</summary>
    public static bool LooksLikeKey(string? token) => token is not null && token.StartsWith(Prefix, StringComparison.Ordinal);

    private static bool TryParse(string token, out string keyId, out string secret)
    {
        keyId = secret = string.Empty;
        var parts = token.Split('_');
        if (parts.Length != 3 || parts[0] + "_" != Prefix || parts[1].Length != 12 || parts[2].Length != 32)
        {
            return false;
        }

        keyId = parts[1];
        secret = parts[2];
        return keyId.All(char.IsAsciiLetterOrDigit);
    }

    private static byte[] Hash(byte[] salt, string secret) => SHA256.HashData([.. salt, .. Encoding.ASCII.GetBytes(secret)]);

    private static ApiKeyRecord ToRecord(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name"),
        e.GetString("Roles").Split(',', StringSplitOptions.RemoveEmptyEntries),
        e.GetString("PatientScope") is { } scope ? scope.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(PatientPseudonym.Parse).ToArray() : null,
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("ExpiresAt"),
        e.GetDateTimeOffset("LastUsedAt"),
        e.GetDateTimeOffset("RevokedAt"));
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuraScale.Storage.Audit;

/// <summary>
/// The chain's arithmetic, with no storage: each entry's hash is HMAC-SHA256 under a chain key over the previous hash
/// and the entry's canonical JSON. Keyed, so someone who can write the audit blobs but does not hold the audit secret
/// cannot re-seal an edited entry, nor the entries after it.
/// </summary>
public sealed class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private readonly byte[] _chainKey;
    private readonly byte[] _argumentKey;

    public AuditChain(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        _argumentKey = key;
        // A key of its own for the chain, derived from the one secret: hashes of arguments never double as chain links.
        _chainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, salt: [], info: "neurascale-audit-chain-v2"u8.ToArray());
    }

    /// <summary>Keyed hash of a call's arguments: equal arguments give equal hashes, but the hash cannot be reversed by guessing.</summary>
    public string HashArguments(string canonicalJson) => Convert.ToHexStringLower(HMACSHA256.HashData(_argumentKey, Encoding.UTF8.GetBytes(canonicalJson)));

    /// <summary>The entry with its <see cref="AuditEntry.Hash"/> computed from its content and previous hash.</summary>
    public AuditEntry Seal(AuditEntry entry)
    {
        var body = JsonSerializer.Serialize(entry with { Hash = string.Empty }, Json);
        return entry with { Hash = Convert.ToHexStringLower(HMACSHA256.HashData(_chainKey, Encoding.UTF8.GetBytes(entry.PreviousHash + body))) };
    }

    /// <summary>One line of the log (JSON and a newline).</summary>
    public static byte[] Line(AuditEntry entry) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");

    /// <summary>Parses one line; null when it is not an audit entry.</summary>
    public static AuditEntry? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditEntry>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

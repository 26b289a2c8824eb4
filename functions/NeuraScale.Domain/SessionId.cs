using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace NeuraScale.Domain;

/// <summary>
/// Identifier of a recording session: <c>ses_</c> followed by 20 lowercase base-32 characters.
/// Validated everywhere it enters the system, so it is safe to use in blob paths and table keys.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SessionIdJsonConverter))]
public readonly partial record struct SessionId
{
    private const string Prefix = "ses_";

    public string Value { get; }

    private SessionId(string value) => Value = value;

    /// <summary>Creates a new random session id.</summary>
    public static SessionId New() => new(Prefix + Identifiers.RandomBase32(20));

    /// <summary>
    /// The id of a recording derived by a deterministic computation, named by <paramref name="recipe"/>: the same
    /// recipe always gives the same id, so repeating a request finds the earlier result instead of storing it twice.
    /// </summary>
    public static SessionId Derived(string recipe) => new(Prefix + Identifiers.HashBase32(recipe, 20));

    /// <summary>Parses <paramref name="text"/>, or returns false when it is not a session id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SessionId id)
    {
        id = default;
        if (text is null || !Pattern().IsMatch(text))
        {
            return false;
        }

        id = new SessionId(text);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> naming the expected form.</summary>
    public static SessionId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a session id; expected 'ses_' followed by 20 characters a-z or 2-7, e.g. as returned by query_sessions.");

    public override string ToString() => Value;

    [GeneratedRegex("^ses_[a-z2-7]{20}$")]
    private static partial Regex Pattern();
}

/// <summary>Shared helpers for random identifiers.</summary>
public static class Identifiers
{
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Random lowercase base-32 string (5 bits of entropy per character).</summary>
    public static string RandomBase32(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Base32Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>First <paramref name="length"/> base-32 characters of the SHA-256 of <paramref name="text"/> (UTF-8).</summary>
    public static string HashBase32(string text, int length)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Base32Alphabet[hash[i] & 31];
        }

        return new string(chars);
    }
}

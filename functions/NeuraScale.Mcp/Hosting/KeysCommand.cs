using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;

namespace NeuraScale.Mcp.Hosting;

/// <summary>
/// <c>keys create | list | revoke</c>: API key administration against the configured storage (appsettings,
/// NEURASCALE_ environment variables, or --storage). A new key's secret is printed once and never stored.
/// </summary>
public static class KeysCommand
{
    /// <summary>Longest life of a key created with an expiry (ten years); keys meant to live longer simply do not expire.</summary>
    public const int MaxKeyDays = 3650;

    public static Command Create(TextWriter output)
    {
        var storage = new Option<string>("--storage") { Description = "Storage connection string; default: configuration (Storage section)." };
        var name = new Option<string>("--name") { Description = "Who or what the key is for (no PHI).", Required = true };
        var roles = new Option<string[]>("--role") { Description = "Role to grant; repeat for several.", Required = true, AllowMultipleArgumentsPerToken = true };
        var patients = new Option<string[]>("--patient") { Description = "Restrict the key to these patient pseudonyms; repeat for several. Default: all patients.", AllowMultipleArgumentsPerToken = true };
        var expires = new Option<int?>("--expires-in-days") { Description = "Days until the key expires; default: never." };
        var keyId = new Argument<string>("key-id") { Description = "Key id as shown by 'keys list'." };
        expires.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } days && days is < 1 or > MaxKeyDays)
            {
                result.AddError($"--expires-in-days must be 1–{MaxKeyDays} (omit it for a key that does not expire); got {days}.");
            }
        });
        patients.Validators.Add(result =>
        {
            foreach (var bad in (result.GetValueOrDefault<string[]>() ?? []).Where(p => !PatientPseudonym.TryParse(p, out _)))
            {
                result.AddError($"--patient '{bad}' is not a pseudonym: 'psn_' followed by 16 characters a-z or 2-7. Never a name or record number.");
            }
        });

        var create = new Command("create", "Create an API key and print it once.") { storage, name, roles, patients, expires };
        create.SetAction(async (parse, ct) =>
        {
            var (store, security) = await OpenAsync(parse.GetValue(storage), ct).ConfigureAwait(false);
            var granted = parse.GetValue(roles) ?? [];
            var unknown = granted.Where(r => !security.Roles.ContainsKey(r)).ToArray();
            if (unknown.Length > 0)
            {
                await output.WriteLineAsync($"Unknown role(s) {string.Join(", ", unknown)}; configured roles: {string.Join(", ", security.Roles.Keys.Order())}.").ConfigureAwait(false);
                return 2;
            }

            var scope = parse.GetValue(patients) is { Length: > 0 } list ? list.Select(PatientPseudonym.Parse).ToArray() : null;
            var days = parse.GetValue(expires);
            var (key, token) = await store.CreateAsync(parse.GetValue(name)!, granted, scope, days is { } d ? DateTimeOffset.UtcNow.AddDays(d) : null, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Created key {key.KeyId} for '{key.Name}' with roles {string.Join(", ", key.Roles)}; it is shown only now:").ConfigureAwait(false);
            await output.WriteLineAsync($"API key: {token}").ConfigureAwait(false);
            return 0;
        });

        var list = new Command("list", "List keys (never their secrets).") { storage };
        list.SetAction(async (parse, ct) =>
        {
            var (store, _) = await OpenAsync(parse.GetValue(storage), ct).ConfigureAwait(false);
            foreach (var key in await store.ListAsync(ct).ConfigureAwait(false))
            {
                var state = key.RevokedAt is not null ? "revoked" : key.IsActive(DateTimeOffset.UtcNow) ? "active" : "expired";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{key.KeyId}  {state,-7}  {key.Name}  roles={string.Join('+', key.Roles)}  patients={(key.PatientScope is null ? "all" : string.Join('+', key.PatientScope))}  created={key.CreatedAt:u}  last-used={(key.LastUsedAt is { } u ? u.ToString("u", CultureInfo.InvariantCulture) : "never")}  expires={(key.ExpiresAt is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "never")}")).ConfigureAwait(false);
            }

            return 0;
        });

        var revoke = new Command("revoke", "Revoke a key at once.") { storage, keyId };
        revoke.SetAction(async (parse, ct) =>
        {
            var (store, _) = await OpenAsync(parse.GetValue(storage), ct).ConfigureAwait(false);
            var id = parse.GetValue(keyId)!;
            var revoked = await store.RevokeAsync(id, ct).ConfigureAwait(false);
            await output.WriteLineAsync(revoked ? $"Revoked {id}." : $"No key {id}; 'keys list' shows the ids.").ConfigureAwait(false);
            return revoked ? 0 : 2;
        });

        return new Command("keys", "Create, list and revoke API keys in the configured storage.") { create, list, revoke };
    }

    private static async Task<(ApiKeyStore Store, SecurityOptions Security)> OpenAsync(string? connectionString, CancellationToken cancellationToken)
    {
        var services = CliConfiguration.Services(connectionString);
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return (services.GetRequiredService<ApiKeyStore>(), services.GetRequiredService<IOptions<SecurityOptions>>().Value);
    }
}

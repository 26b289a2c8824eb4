using System.Security.Claims;
using NeuraScale.Domain;

namespace NeuraScale.Mcp.Security;

/// <summary>Who is calling, what they may do, and which patients' data they may see (null: all patients).</summary>
public sealed record Caller(string Id, string Name, IReadOnlySet<string> Roles, IReadOnlySet<string> Permissions, IReadOnlySet<PatientPseudonym>? PatientScope)
{
    public const string PatientScopeClaim = "neurascale:patient";

    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>True when the caller may see data of <paramref name="patient"/>.</summary>
    public bool CanSee(PatientPseudonym patient) => PatientScope is null || PatientScope.Contains(patient);

    /// <summary>The caller an authenticated principal stands for; null when it is not authenticated.</summary>
    public static Caller? From(ClaimsPrincipal? user, SecurityOptions security)
    {
        if (user?.Identity is not { IsAuthenticated: true })
        {
            return null;
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var patients = user.FindAll(PatientScopeClaim).Select(c => PatientPseudonym.TryParse(c.Value, out var p) ? p : (PatientPseudonym?)null).OfType<PatientPseudonym>().ToHashSet();
        var scoped = user.HasClaim(c => c.Type == ApiKeyAuthenticationHandler.ScopedClaim);
        return new Caller(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
            user.Identity.Name ?? "unknown",
            roles,
            security.PermissionsOf(roles),
            scoped ? patients : null);
    }
}

using System.Security.Claims;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// The caller of the current tool call: from the HTTP request's authenticated user, or, on stdio, from the API key
/// the process was started with.
/// </summary>
public sealed class CallerAccessor(IHttpContextAccessor http, IOptions<SecurityOptions> security, StdioIdentity stdio)
{
    /// <summary>Claim naming one patient a scoped credential may see.</summary>
    public const string PatientScopeClaim = "neurascale:patient";

    public Caller? Resolve(ClaimsPrincipal? user) =>
        From(user ?? http.HttpContext?.User, security.Value) ?? From(stdio.Principal, security.Value);

    /// <summary>The current caller; throws when there is none (the endpoint's authorization should have refused).</summary>
    public Caller Current => Resolve(null) ?? throw new UnauthorizedAccessException("No authenticated caller.");

    /// <summary>The caller an authenticated principal stands for (roles → permissions); null when it is not authenticated.</summary>
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

/// <summary>The principal of the stdio transport, set at start-up from <c>NEURASCALE_API_KEY</c>.</summary>
public sealed class StdioIdentity
{
    public ClaimsPrincipal? Principal { get; set; }
}

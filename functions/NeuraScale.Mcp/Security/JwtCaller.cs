using System.Security.Claims;

namespace NeuraScale.Mcp.Security;

/// <summary>Maps a validated access token's claims to the identity the pipeline uses (id, name, roles).</summary>
public static class JwtCaller
{
    public static ClaimsPrincipal Normalize(ClaimsPrincipal token, JwtOptions options)
    {
        var subject = token.FindFirstValue("oid") ?? token.FindFirstValue("sub") ?? "unknown";
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "jwt:" + subject),
            new(ClaimTypes.Name, token.FindFirstValue("name") ?? token.FindFirstValue("preferred_username") ?? token.FindFirstValue("azp") ?? subject),
        };
        claims.AddRange(token.FindAll(options.RolesClaim).Select(c => new Claim(ClaimTypes.Role, c.Value)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "jwt", ClaimTypes.Name, ClaimTypes.Role));
    }
}

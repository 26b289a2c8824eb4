namespace NeuraScale.Mcp.Security;

/// <summary>
/// Entra ID / OAuth 2.1 bearer tokens. Section <c>Security:Jwt</c>; off until <see cref="Authority"/> is set.
/// Tokens must be issued by the authority (signature checked against its OIDC metadata), for <see cref="Audience"/>
/// (this server's resource URI), and be within their lifetime. Tokens are never passed on to other services.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>Issuer / OIDC authority, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>This server's resource URI; tokens for any other audience are refused.</summary>
    public string? Audience { get; set; }

    /// <summary>HTTPS for the metadata document; only a local test authority turns it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Claim carrying the caller's roles (Entra app roles: <c>roles</c>).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>Scopes a client should request, advertised in the Protected Resource Metadata.</summary>
    public string[] Scopes { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

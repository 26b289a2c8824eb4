using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NeuraScale.Storage.Keys;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer nsk_…</c> or <c>X-API-Key: nsk_…</c> against the key store. A request
/// without a key is not authenticated (and is then refused by the endpoint's authorization); a wrong, expired or
/// revoked key fails (a revoked key within <see cref="ApiKeyOptions.CacheSeconds"/> of its revocation: see <see cref="ApiKeyCache"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    IOptions<HttpHygieneOptions> http) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string ScopedClaim = "neurascale:patient_scoped";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Token(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid, has expired or was revoked.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(ToPrincipal(key, Scheme.Name), Scheme.Name));
    }

    /// <summary>
    /// 401 as the MCP authorization spec asks: a Bearer challenge pointing at the Protected Resource Metadata (served by
    /// the MCP authentication handler), and a body a person or model can act on.
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var metadata = $"{http.Value.BaseUrlOf(Request)}/.well-known/oauth-protected-resource{Request.PathBase}{Request.Path}";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{metadata}\"";
        await Response.WriteAsJsonAsync(new
        {
            error = "unauthorized",
            message = "This MCP server needs a credential: an API key as 'Authorization: Bearer nsk_…' or 'X-API-Key: nsk_…' (issued with 'keys create'), or an OAuth access token for this resource from the authorization server named in the resource metadata.",
            resource_metadata = metadata,
        }).ConfigureAwait(false);
    }

    /// <summary>True when the request presents one of our API keys (rather than some other bearer token).</summary>
    public static bool CarriesApiKey(HttpRequest request) => Token(request) is not null;

    /// <summary>The claims a key stands for: id, name, roles, and its patient scope when it has one.</summary>
    public static ClaimsPrincipal ToPrincipal(ApiKeyRecord key, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "key:" + key.KeyId),
            new(ClaimTypes.Name, key.Name),
        };
        claims.AddRange(key.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (key.PatientScope is { } scope)
        {
            claims.Add(new Claim(ScopedClaim, "true"));
            claims.AddRange(scope.Select(p => new Claim(CallerAccessor.PatientScopeClaim, p.Value)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    private static string? Token(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && ApiKeyStore.LooksLikeKey(authorization[7..].Trim())
            ? authorization[7..].Trim()
            : null;
    }
}

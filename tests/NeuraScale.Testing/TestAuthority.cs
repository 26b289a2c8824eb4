using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NeuraScale.Testing;

/// <summary>
/// A local OAuth authority for tests: serves an OIDC discovery document and its signing key (JWKS) on a loopback port,
/// and mints real RS256 access tokens, valid or deliberately wrong.
/// </summary>
public sealed class TestAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;

    private TestAuthority(WebApplication app, RsaSecurityKey key, Uri issuer)
    {
        _app = app;
        _key = key;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public static async Task<TestAuthority> StartAsync(CancellationToken cancellationToken = default)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        string Issuer(HttpContext context) => $"http://{context.Request.Host}";
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer(context),
            ["jwks_uri"] = Issuer(context) + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
        app.MapGet("/keys", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }));
        var endpoint = await McpTestServer.StartAsync(app, cancellationToken);
        return new TestAuthority(app, key, new Uri(endpoint.GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>A signed access token. Override any part to make it wrong in one way.</summary>
    public string Mint(string audience, string[] roles, TimeSpan? expiresIn = null, string? issuer = null, SecurityKey? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(30));
        var notBefore = expires < now ? expires.AddHours(-1) : now.AddMinutes(-1);
        var claims = new List<Claim> { new("sub", "user-" + Guid.NewGuid().ToString("N")[..8]), new("name", "Test Clinician") };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer.ToString().TrimEnd('/'),
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(signingKey ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

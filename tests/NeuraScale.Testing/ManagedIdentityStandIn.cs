using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NeuraScale.Testing;

/// <summary>
/// What the Functions platform gives an app with a managed identity: a local token endpoint named by the
/// <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> variables (the App Service managed identity protocol, which
/// Azure.Identity's ManagedIdentityCredential speaks). It answers with a token Azurite's OAuth check accepts (issuer
/// sts.windows.net, audience the resource asked for, a lifetime; Azurite does not check signatures), and counts the
/// requests, so a test can see the app really used the identity.
/// </summary>
public sealed class ManagedIdentityStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ManagedIdentityStandIn(WebApplication app, string secret)
    {
        _app = app;
        Header = secret;
    }

    public Uri Endpoint { get; private set; } = null!;

    public string Header { get; }

    public int Requests => _requests;

    /// <summary>The variables the platform sets for the app's process.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["IDENTITY_ENDPOINT"] = Endpoint.ToString(),
        ["IDENTITY_HEADER"] = Header,
    };

    public static async Task<ManagedIdentityStandIn> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ManagedIdentityStandIn(app, Guid.NewGuid().ToString("N"));
        app.MapGet("/msi/token", (HttpContext context) =>
        {
            if (context.Request.Headers["X-IDENTITY-HEADER"] != standIn.Header)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            Interlocked.Increment(ref standIn._requests);
            var resource = context.Request.Query["resource"].ToString();
            var audience = resource.EndsWith("/.default", StringComparison.Ordinal) ? resource[..^"/.default".Length] : resource.TrimEnd('/');
            var now = DateTimeOffset.UtcNow;
            var expires = now.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Results.Json(new Dictionary<string, string>
            {
                ["access_token"] = Token(audience, now),
                ["expires_on"] = expires,
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = context.Request.Query["client_id"].ToString(),
            });
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/msi/token");
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Token(string audience, DateTimeOffset now)
    {
        static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Part(new { alg = "RS256", typ = "JWT" });
        var payload = Part(new
        {
            aud = audience,
            iss = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
            nbf = now.AddMinutes(-5).ToUnixTimeSeconds(),
            iat = now.AddMinutes(-5).ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
            oid = "11111111-1111-1111-1111-111111111111",
        });
        return $"{header}.{payload}.{Convert.ToBase64String(Encoding.UTF8.GetBytes("unsigned")).TrimEnd('=')}";
    }
}

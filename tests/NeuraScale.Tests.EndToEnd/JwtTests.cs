using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>OAuth bearer tokens minted by a local authority (real RS256 signatures, real OIDC discovery).</summary>
public sealed class JwtTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private const string Audience = "api://neurascale-test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TestAuthority Authority, McpTestServer Server)> StartAsync()
    {
        var authority = await TestAuthority.StartAsync(Ct);
        var mcp = await McpTestServer.StartAsync(server.Storage, new()
        {
            ["Security:Jwt:Authority"] = authority.Issuer.ToString().TrimEnd('/'),
            ["Security:Jwt:Audience"] = Audience,
            ["Security:Jwt:RequireHttpsMetadata"] = "false",
        }, Ct);
        return (authority, mcp);
    }

    private static async Task<HttpResponseMessage> ListToolsAsync(Uri endpoint, string? bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return await http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task ValidToken_WithAppRoles_IsServedWithThoseRolesPermissions()
    {
        var (authority, mcp) = await StartAsync();
        await using var _ = authority;
        await using var __ = mcp;

        await using var client = await McpTestServer.ConnectAsync(mcp.Endpoint, authority.Mint(Audience, ["auditor"]), Ct);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal(["verify_audit_log"], tools.Select(t => t.Name));
        // API keys keep working beside tokens.
        await using var keyed = await McpTestServer.ConnectAsync(mcp.Endpoint, server.ApiKey, Ct);
        Assert.Contains((await keyed.ListToolsAsync(cancellationToken: Ct)), t => t.Name == "query_sessions");
    }

    [Fact]
    public async Task WrongAudience_Expired_BadSignature_WrongIssuer_Missing_AreAll401()
    {
        var (authority, mcp) = await StartAsync();
        await using var _ = authority;
        await using var __ = mcp;
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };

        string?[] tokens =
        [
            authority.Mint("api://some-other-api", ["admin"]),
            authority.Mint(Audience, ["admin"], expiresIn: TimeSpan.FromHours(-1)),
            authority.Mint(Audience, ["admin"], signingKey: stranger),
            authority.Mint(Audience, ["admin"], issuer: "https://evil.example"),
            null,
        ];
        foreach (var token in tokens)
        {
            using var response = await ListToolsAsync(mcp.Endpoint, token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("resource_metadata=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var valid = await ListToolsAsync(mcp.Endpoint, authority.Mint(Audience, ["reader"]));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Challenge_PointsAtProtectedResourceMetadata_NamingTheAuthorityAndResource()
    {
        var (authority, mcp) = await StartAsync();
        await using var _ = authority;
        await using var __ = mcp;

        using var unauthorized = await ListToolsAsync(mcp.Endpoint, null);
        var header = unauthorized.Headers.WwwAuthenticate.ToString();
        var metadataUrl = header.Split("resource_metadata=\"")[1].TrimEnd('"');
        using var http = new HttpClient();
        using var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(metadataUrl), Ct));

        Assert.Equal(mcp.Endpoint.ToString().TrimEnd('/'), metadata.RootElement.GetProperty("resource").GetString()); // the URL the client connected to
        Assert.Equal(authority.Issuer.ToString().TrimEnd('/'), metadata.RootElement.GetProperty("authorization_servers")[0].GetString()!.TrimEnd('/'));
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Authentication;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// What every transport needs: role → permission configuration validated at start-up, rate limits, the caller of
    /// each call, and the per-tool permission table (built, and so checked, at start-up).
    /// </summary>
    public static IServiceCollection AddNeuraScaleSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName + ":RateLimits")).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InProcessRateLimitStore>();
        services.TryAddSingleton<SharedRateLimitStore>();
        services.TryAddSingleton<IRateLimitStore>(sp => sp.GetRequiredService<IOptions<RateLimitOptions>>().Value.Store == "in-process"
            ? sp.GetRequiredService<InProcessRateLimitStore>()
            : sp.GetRequiredService<SharedRateLimitStore>());
        services.AddSingleton<StdioIdentity>();
        services.AddHttpContextAccessor();
        services.AddScoped<CallerAccessor>();
        services.AddSingleton<ToolPermissions>();
        services.AddHostedService<ToolPermissionsCheck>();
        return services;
    }

    /// <summary>The HTTP transport's authentication (API keys and OAuth bearer tokens) and authorization; stdio authenticates once at start.</summary>
    public static IServiceCollection AddNeuraScaleAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        AddAuthentication(services, configuration.GetSection(SecurityOptions.SectionName + ":Jwt").Get<JwtOptions>() ?? new JwtOptions());
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// One policy scheme picks the handler per request: API keys (<c>nsk_…</c>) go to the key store, other bearer
    /// tokens to JWT validation. Challenges (401) point at the Protected Resource Metadata the MCP handler serves.
    /// </summary>
    private static void AddAuthentication(IServiceCollection services, JwtOptions jwt)
    {
        const string Selector = "NeuraScale";
        var builder = services.AddAuthentication(options =>
            {
                options.DefaultScheme = Selector;
                options.DefaultChallengeScheme = ApiKeyAuthenticationHandler.SchemeName;
            })
            .AddPolicyScheme(Selector, "API key or bearer token", options => options.ForwardDefaultSelector = context =>
                jwt.Enabled && !ApiKeyAuthenticationHandler.CarriesApiKey(context.Request) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddMcp(options => options.Events.OnResourceMetadataRequest = context =>
            {
                // The resource is the MCP endpoint the client connected to (RFC 9728 §3: the path after the
                // well-known prefix), on the public origin: clients compare it with the URL they were given.
                var http = context.HttpContext.RequestServices.GetRequiredService<IOptions<HttpHygieneOptions>>().Value;
                var path = context.HttpContext.Request.Path.Value ?? string.Empty;
                var resourcePath = path.StartsWith(ResourceMetadataPrefix, StringComparison.OrdinalIgnoreCase) ? path[ResourceMetadataPrefix.Length..] : string.Empty;
                context.ResourceMetadata = new ProtectedResourceMetadata
                {
                    Resource = http.BaseUrlOf(context.HttpContext.Request) + resourcePath,
                    AuthorizationServers = jwt.Enabled ? [jwt.Authority!] : [],
                    ScopesSupported = [.. jwt.Scopes],
                    BearerMethodsSupported = ["header"],
                    ResourceName = "NeuraScale (MCP)",
                };
                return Task.CompletedTask;
            });

        if (jwt.Enabled)
        {
            builder.AddJwtBearer(options =>
            {
                options.Authority = jwt.Authority;
                options.Audience = jwt.Audience;
                options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidateIssuer = true;
                options.TokenValidationParameters.ValidateAudience = true;
                options.TokenValidationParameters.ValidateLifetime = true;
                options.TokenValidationParameters.ValidateIssuerSigningKey = true;
                options.TokenValidationParameters.RoleClaimType = jwt.RolesClaim;
                options.Events = new JwtBearerEvents { OnTokenValidated = context => { context.Principal = JwtCaller.Normalize(context.Principal!, jwt); return Task.CompletedTask; } };
            });
        }
    }

    private const string ResourceMetadataPrefix = "/.well-known/oauth-protected-resource";

    /// <summary>Builds the permission table when the host starts, so an unguarded tool stops the server at boot.</summary>
    private sealed class ToolPermissionsCheck(ToolPermissions permissions) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => permissions.Required.Count > 0
            ? Task.CompletedTask
            : throw new InvalidOperationException("No tools are registered.");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

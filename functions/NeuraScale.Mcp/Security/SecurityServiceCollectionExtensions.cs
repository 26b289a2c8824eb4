using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Authentication (API keys), role → permission configuration validated at start-up, the caller of each call,
    /// and the per-tool permission table (built, and so checked, at start-up).
    /// </summary>
    public static IServiceCollection AddNeuraScaleSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName + ":RateLimits")).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRateLimitStore, InProcessRateLimitStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<StdioIdentity>();
        services.AddHttpContextAccessor();
        services.AddScoped<CallerAccessor>();
        services.AddSingleton<ToolPermissions>();
        services.AddHostedService<ToolPermissionsCheck>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }

    /// <summary>Builds the permission table when the host starts, so an unguarded tool stops the server at boot.</summary>
    private sealed class ToolPermissionsCheck(ToolPermissions permissions) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => permissions.Required.Count > 0
            ? Task.CompletedTask
            : throw new InvalidOperationException("No tools are registered.");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using NeuraScale.Mcp.Security;
using NeuraScale.Storage;

namespace NeuraScale.Mcp.Hosting;

/// <summary>Builds the MCP server app for either transport: Streamable HTTP (stateless) or stdio.</summary>
public static class NeuraScaleMcpServer
{
    /// <summary>Port used when neither --urls nor the Functions host (FUNCTIONS_CUSTOMHANDLER_PORT) names one; host.json uses it too.</summary>
    public const int DefaultPort = 8080;

    /// <summary>
    /// The HTTP server: <c>/mcp</c> (Streamable HTTP, stateless, as the Functions self-hosted MCP hosting requires) and
    /// <c>/health</c>. <paramref name="configure"/> lets a host (tests, the local stack) add configuration.
    /// </summary>
    public static WebApplication CreateWebApplication(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_");
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } p ? p : DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        configure?.Invoke(builder);
        KeepPayloadsOutOfLogs(builder.Logging, builder.Configuration);

        // Host filtering: loopback names unless configuration says otherwise (Azure sets the app's host name).
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]))
        {
            builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";
        }

        var hygiene = builder.Configuration.GetSection(HttpHygieneOptions.SectionName).Get<HttpHygieneOptions>() ?? new HttpHygieneOptions();
        builder.Services.AddNeuraScaleServices(builder.Configuration);
        builder.Services.AddNeuraScaleMcpServer().WithHttpTransport(options => options.Stateless = true);

        var app = builder.Build();
        app.UseNeuraScaleHttpHygiene(hygiene);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMcp("/mcp").RequireAuthorization();
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>
    /// The SDK's debug and trace logs carry whole JSON-RPC messages — tool arguments and results, which can hold PHI.
    /// Its level is the configured one but never below Information; our own code logs ids and outcomes only.
    /// </summary>
    private static void KeepPayloadsOutOfLogs(ILoggingBuilder logging, ConfigurationManager configuration)
    {
        var configured = configuration["Logging:LogLevel:ModelContextProtocol"] ?? configuration["Logging:LogLevel:Default"];
        var level = Enum.TryParse<LogLevel>(configured, out var parsed) && parsed > LogLevel.Information ? parsed : LogLevel.Information;
        logging.AddFilter("ModelContextProtocol", level);
    }

    /// <summary>stdio has no request headers: the process authenticates once, with the key in NEURASCALE_API_KEY.</summary>
    private static async Task AuthenticateStdioAsync(IServiceProvider services, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException("The stdio server needs an API key: set NEURASCALE_API_KEY (create one with 'keys create').");
        }

        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var key = await services.GetRequiredService<ApiKeyStore>().ValidateAsync(token.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("NEURASCALE_API_KEY is not a valid, active API key.");
        services.GetRequiredService<StdioIdentity>().Principal = ApiKeyAuthenticationHandler.ToPrincipal(key, "stdio");
    }

    /// <summary>The stdio server (for Claude Desktop and other local clients). Logs go to stderr; stdout carries the protocol.</summary>
    public static async Task RunStdioAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--stdio").ToArray());
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_");
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        KeepPayloadsOutOfLogs(builder.Logging, builder.Configuration);
        builder.Services.AddNeuraScaleServices(builder.Configuration);
        builder.Services.AddNeuraScaleMcpServer().WithStdioServerTransport();
        using var host = builder.Build();
        await AuthenticateStdioAsync(host.Services, builder.Configuration["API_KEY"], cancellationToken).ConfigureAwait(false);
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

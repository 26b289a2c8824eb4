using NeuraScale.Workflows.Hosting;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Mcp.Servers;
using NeuraScale.Mcp.Servers.NeuralData;
using NeuraScale.Processing;
using NeuraScale.ServiceDefaults;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;

namespace NeuraScale.Mcp.Hosting;

/// <summary>Builds the MCP server app for either transport: Streamable HTTP (stateless, every server on its route) or stdio (one server).</summary>
public static class NeuraScaleMcpServer
{
    /// <summary>Port used when neither --urls nor the Functions host (FUNCTIONS_CUSTOMHANDLER_PORT) names one; host.json uses it too.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The service name telemetry carries.</summary>
    public const string ServiceName = "neurascale-mcp";

    /// <summary>
    /// The HTTP server: <c>/mcp</c> (all tools) and one route per server (<c>/mcp/neural-data</c>, …), Streamable HTTP,
    /// stateless, as the Functions self-hosted MCP hosting requires; and <c>/health</c>. <paramref name="configure"/>
    /// lets a host (tests, the local stack) add configuration and services.
    /// </summary>
    public static WebApplication CreateWebApplication(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings files beside the binary, wherever it is started from (the working directory may be the repository root).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_");
        ListenOnLoopbackUnlessConfigured(builder);
        configure?.Invoke(builder);

        builder.AddNeuraScaleDefaults(ServiceName);
        builder.AddMcpLogging();
        builder.AddNeuraScaleHttpHygiene();
        builder.AddNeuraScaleAdmission();
        builder.Services.AddNeuraScaleStorage(builder.Configuration);
        builder.Services.AddNeuraScaleApplication(builder.Configuration);
        builder.Services.AddNeuraScaleWorkflows(builder.Configuration);
        builder.Services.AddNeuraScaleSecurity(builder.Configuration);
        builder.Services.AddNeuraScaleAuthentication(builder.Configuration);
        builder.Services.AddNeuraScaleMcpServers().WithNeuraScaleHttpTransport();

        var app = builder.Build();
        app.UseNeuraScaleHttpHygiene();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseNeuraScaleAuthenticationFailureGuard();
        app.UseAuthorization();
        app.UseNeuraScaleJsonRpcGuard();
        app.MapNeuraScaleMcpServers();
        app.MapNeuraScaleBulkData();
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>The stdio server (for Claude Desktop and other local clients): one server's tools. Logs go to stderr; stdout carries the protocol.</summary>
    public static async Task RunStdioAsync(string[] args, McpServerDefinition server, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_");
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.AddNeuraScaleDefaults(ServiceName);
        builder.AddMcpLogging();
        builder.Services.AddNeuraScaleStorage(builder.Configuration);
        builder.Services.AddNeuraScaleApplication(builder.Configuration);
        builder.Services.AddNeuraScaleWorkflows(builder.Configuration);
        builder.Services.AddNeuraScaleSecurity(builder.Configuration);
        builder.Services.AddNeuraScaleMcpServers().WithStdioServerTransport();
        builder.Services.PostConfigure<ModelContextProtocol.Server.McpServerOptions>(server.Apply);

        using var host = builder.Build();
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        await AuthenticateStdioAsync(host.Services, builder.Configuration["API_KEY"], cancellationToken).ConfigureAwait(false);
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loopback on <see cref="DefaultPort"/> (or the Functions host's port) unless --urls or configuration says otherwise.</summary>
    private static void ListenOnLoopbackUnlessConfigured(WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } p ? p : DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
    }

    /// <summary>
    /// The SDK's debug and trace logs carry whole JSON-RPC messages — tool arguments and results, which can hold PHI.
    /// Its level is the configured one but never below Information; our own code logs ids and outcomes only.
    /// </summary>
    private static void AddMcpLogging(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration["Logging:LogLevel:ModelContextProtocol"] ?? builder.Configuration["Logging:LogLevel:Default"];
        var level = Enum.TryParse<LogLevel>(configured, out var parsed) && parsed > LogLevel.Information ? parsed : LogLevel.Information;
        builder.Logging.AddFilter("ModelContextProtocol", level);
    }

    /// <summary>stdio has no request headers: the process authenticates once, with the key in NEURASCALE_API_KEY.</summary>
    private static async Task AuthenticateStdioAsync(IServiceProvider services, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ServerStartException("the stdio server needs an API key: set NEURASCALE_API_KEY (create one with 'keys create').");
        }

        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var key = await services.GetRequiredService<ApiKeyStore>().ValidateAsync(token.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new ServerStartException("NEURASCALE_API_KEY is not a valid, active API key; create one with 'keys create' or check 'keys list'.");
        services.GetRequiredService<StdioIdentity>().Principal = ApiKeyAuthenticationHandler.ToPrincipal(key, "stdio");
    }
}

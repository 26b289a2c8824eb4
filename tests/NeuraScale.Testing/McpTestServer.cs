using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using NeuraScale.Domain;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Storage;
using NeuraScale.Storage.Keys;

namespace NeuraScale.Testing;

/// <summary>The real MCP server, in process, on a random loopback port, over the given storage.</summary>
public sealed class McpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private McpTestServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The server's services (telemetry providers, stores), for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The Streamable HTTP endpoint, <c>http://127.0.0.1:{port}/mcp</c>.</summary>
    public Uri Endpoint { get; }

    public static Task<McpTestServer> StartAsync(StorageOptions storage, CancellationToken cancellationToken = default) =>
        StartAsync(storage, [], cancellationToken);

    /// <summary>As <see cref="StartAsync(StorageOptions, CancellationToken)"/>, with extra configuration (e.g. tighter rate limits).</summary>
    public static Task<McpTestServer> StartAsync(StorageOptions storage, Dictionary<string, string?> configuration, CancellationToken cancellationToken = default) =>
        StartAsync(storage, configuration, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), cancellationToken);

    /// <summary>Quiet logs: warnings and errors only, the SDK included.</summary>
    public static readonly Dictionary<string, string?> QuietLogging = new() { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:ModelContextProtocol"] = "Warning" };

    /// <summary>The most general form: extra configuration and a hook on the builder (logging, services).</summary>
    public static async Task<McpTestServer> StartAsync(StorageOptions storage, Dictionary<string, string?> configuration, Action<WebApplicationBuilder> configure, CancellationToken cancellationToken = default)
    {
        var app = NeuraScaleMcpServer.CreateWebApplication(
            ["--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage)).AddInMemoryCollection(QuietLogging).AddInMemoryCollection(configuration);
                configure(builder);
            });
        return new McpTestServer(app, await StartAsync(app, cancellationToken));
    }

    /// <summary>Starts any web app bound to port 0 and returns its /mcp endpoint.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address + "/mcp");
    }

    /// <summary>Creates an API key with <paramref name="roles"/> (and a patient scope, when given) in <paramref name="storage"/>.</summary>
    public static async Task<string> CreateKeyAsync(StorageOptions storage, string[] roles, PatientPseudonym[]? patientScope = null, CancellationToken cancellationToken = default)
    {
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(cancellationToken);
        var (_, token) = await new ApiKeyStore(clients, TimeProvider.System).CreateAsync("test " + string.Join('+', roles), roles, patientScope, null, cancellationToken);
        return token;
    }

    /// <summary>An MCP client over Streamable HTTP presenting <paramref name="apiKey"/> (none when null).</summary>
    public static Task<McpClient> ConnectAsync(Uri endpoint, string? apiKey, CancellationToken cancellationToken = default) =>
        McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = apiKey is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey },
            }),
            cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

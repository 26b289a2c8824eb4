using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuraScale.Mcp.Hosting;
using NeuraScale.Storage;

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

    /// <summary>The Streamable HTTP endpoint, <c>http://127.0.0.1:{port}/mcp</c>.</summary>
    public Uri Endpoint { get; }

    public static async Task<McpTestServer> StartAsync(StorageOptions storage, CancellationToken cancellationToken = default)
    {
        var app = NeuraScaleMcpServer.CreateWebApplication(
            ["--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage));
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

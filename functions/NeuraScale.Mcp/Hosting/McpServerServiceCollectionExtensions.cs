using ModelContextProtocol.AspNetCore;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Servers;
using NeuraScale.Mcp.Servers.NeuralData.Viewer;
using NeuraScale.Mcp.Security;

namespace NeuraScale.Mcp.Hosting;

public static class McpServerServiceCollectionExtensions
{
    /// <summary>
    /// The MCP servers (<see cref="McpServers"/>) and their tools. Every call passes the same pipeline: authentication
    /// (endpoint), then telemetry (span and metrics) → audit → permission → rate limit → argument check and error
    /// mapping → the tool.
    /// Which server a request speaks to is chosen per request (<see cref="ForRequest"/>).
    /// </summary>
    public static IMcpServerBuilder AddNeuraScaleMcpServers(this IServiceCollection services) =>
        services
            .AddMcpServer(options => McpServers.Combined.Apply(options))
            // Typed as IEnumerable<Type>: a list would bind to the overload that registers one target object.
            .WithTools((IEnumerable<Type>)McpServers.Combined.ToolTypes, ToolResults.Json)
            .WithResources((IEnumerable<Type>)[typeof(ViewerApp)])
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(ToolAccessFilters.ListTools)
                .AddCallToolFilter(ToolTelemetry.Create)
                .AddCallToolFilter(AuditFilter.Create)
                .AddCallToolFilter(ToolAccessFilters.CallTool)
                .AddCallToolFilter(ToolErrorFilter.Create));

    /// <summary>
    /// Streamable HTTP, stateless (the only mode the Functions self-hosted MCP hosting supports): each request gets a
    /// fresh copy of the server options, made into the server whose route it came in on.
    /// </summary>
    public static IMcpServerBuilder WithNeuraScaleHttpTransport(this IMcpServerBuilder builder) =>
        builder.WithHttpTransport(options =>
        {
            options.Stateless = true;
            options.ConfigureSessionOptions = (context, server, _) =>
            {
                ForRequest(context).Apply(server);
                return Task.CompletedTask;
            };
        });

    /// <summary>The server a request's route belongs to (the endpoint carries its definition); the combined one otherwise.</summary>
    public static McpServerDefinition ForRequest(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<McpServerDefinition>() ?? McpServers.Combined;

    /// <summary>Maps every server on its route, each requiring an authenticated caller.</summary>
    public static void MapNeuraScaleMcpServers(this IEndpointRouteBuilder endpoints)
    {
        foreach (var server in McpServers.All)
        {
            endpoints.MapMcp(server.Route).WithMetadata(server, new AuthenticationAudited()).RequireAuthorization().RequireNeuraScaleAdmission();
        }
    }
}

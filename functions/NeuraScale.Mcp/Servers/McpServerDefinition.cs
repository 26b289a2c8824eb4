using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Servers;

/// <summary>
/// One MCP server of the brief: the name and instructions a client sees, the route it is served on, and its tools
/// (tool classes; a class may belong to several servers). All servers run in one app over the same pipeline.
/// </summary>
/// <param name="Key">Short name used on the command line (<c>--server neural-data</c>).</param>
/// <param name="Name">Server name in the MCP handshake (<c>serverInfo.name</c>).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="Route">HTTP route of its Streamable HTTP endpoint.</param>
/// <param name="Instructions">What the server is for and how its tools fit together, for the model.</param>
/// <param name="ToolTypes">Its <c>[McpServerToolType]</c> classes.</param>
/// <param name="ServesEveryTool">The combined server: every registered tool, whichever server declares it.</param>
public sealed record McpServerDefinition(string Key, string Name, string Title, string Route, string Instructions, IReadOnlyList<Type> ToolTypes, bool ServesEveryTool = false)
{
    /// <summary>The names of its tools, read from the <c>[McpServerTool]</c> methods of <see cref="ToolTypes"/>.</summary>
    public IReadOnlySet<string> ToolNames { get; } = ToolTypes
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        .Select(m => m.GetCustomAttribute<McpServerToolAttribute>()?.Name)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Makes a per-request copy of the server options this server: its identity, instructions and only its tools.</summary>
    public void Apply(McpServerOptions options)
    {
        options.ServerInfo = new Implementation { Name = Name, Title = Title, Version = ServerVersion.Current };
        options.ServerInstructions = Instructions;
        if (!ServesEveryTool && options.ToolCollection is { } tools)
        {
            foreach (var tool in tools.Where(t => !ToolNames.Contains(t.ProtocolTool.Name)).ToArray())
            {
                tools.Remove(tool);
            }
        }

        // The EEG viewer app belongs with the tool that opens it.
        if (!ToolNames.Contains("view_recording") && !ServesEveryTool && options.ResourceCollection is { } resources)
        {
            foreach (var resource in resources.ToArray())
            {
                resources.Remove(resource);
            }
        }
    }
}

/// <summary>The server's version, from the assembly.</summary>
public static class ServerVersion
{
    public static string Current { get; } =
        typeof(ServerVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

using NeuraScale.Mcp.Servers.Analysis;
using NeuraScale.Mcp.Servers.Clinical;
using NeuraScale.Mcp.Servers.Devices;
using NeuraScale.Mcp.Servers.NeuralData;

namespace NeuraScale.Mcp.Servers;

/// <summary>The four servers of the brief, and the combined server that serves all their tools on <c>/mcp</c>.</summary>
public static class McpServers
{
    /// <summary>The brief's servers, each on its own route.</summary>
    public static IReadOnlyList<McpServerDefinition> Each { get; } =
        [NeuralDataServer.Definition, AnalysisServer.Definition, DevicesServer.Definition, ClinicalServer.Definition];

    /// <summary>Every tool of every server on one endpoint, for clients that want everything.</summary>
    public static McpServerDefinition Combined { get; } = new(
        "all",
        "neurascale",
        "NeuraScale",
        "/mcp",
        "Tools for EEG/EMG/ECG recordings, all on one endpoint (each group is also served alone: /mcp/neural-data, /mcp/analysis, /mcp/devices, /mcp/clinical). "
            + string.Join(" ", Each.Where(s => s.ToolNames.Count > 0).Select(s => s.Instructions)),
        Each.SelectMany(s => s.ToolTypes).Distinct().ToArray(),
        ServesEveryTool: true);

    /// <summary>The combined server first, then each server.</summary>
    public static IReadOnlyList<McpServerDefinition> All { get; } = [Combined, .. Each];

    /// <summary>The server with this key (<c>all</c>, <c>neural-data</c>, …), or null.</summary>
    public static McpServerDefinition? Find(string key) => All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
}

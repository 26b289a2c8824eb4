using NeuraScale.Domain.Access;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// Tool name → required permission, read from each tool's <see cref="RequiresPermissionAttribute"/>. Building it
/// fails when a tool declares none, so a tool cannot be served unguarded.
/// </summary>
public sealed class ToolPermissions
{
    private readonly Dictionary<string, string> _required;
    private readonly Dictionary<string, RateLimitCategory> _categories = new(StringComparer.Ordinal);

    public ToolPermissions(IEnumerable<McpServerTool> tools)
    {
        _required = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            var declared = tool.Metadata.OfType<RequiresPermissionAttribute>().SingleOrDefault()
                ?? throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' declares no [RequiresPermission]; every tool must declare the permission it needs.");
            _required[tool.ProtocolTool.Name] = declared.Permission;
            _categories[tool.ProtocolTool.Name] = declared.Category;
        }
    }

    public IReadOnlyDictionary<string, string> Required => _required;

    /// <summary>The permission <paramref name="tool"/> needs, or null for an unknown tool.</summary>
    public string? For(string tool) => _required.GetValueOrDefault(tool);

    /// <summary>The rate-limit category of <paramref name="tool"/>.</summary>
    public RateLimitCategory CategoryOf(string tool) => _categories.GetValueOrDefault(tool);

    public bool Allows(Caller caller, string tool) => For(tool) is { } permission && caller.Has(permission);
}

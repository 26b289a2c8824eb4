using NeuraScale.Domain.Access;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// Declares the permission a tool needs. Put it on every <c>[McpServerTool]</c> method: the server refuses to start
/// with a tool that has none (deny by default), hides tools a caller may not call, and checks again on every call.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPermissionAttribute(string permission) : Attribute
{
    /// <summary>The rate-limit budget the tool spends; <see cref="RateLimitCategory.Default"/> unless set.</summary>
    public RateLimitCategory Category { get; init; } = RateLimitCategory.Default;

    public string Permission { get; } = Permissions.All.Contains(permission)
        ? permission
        : throw new ArgumentException($"Unknown permission '{permission}'; known: {string.Join(", ", Permissions.All)}.", nameof(permission));
}

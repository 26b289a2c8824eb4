namespace NeuraScale.Mcp.Security;

/// <summary>The permissions a role can grant. Every tool requires exactly one (see <see cref="RequiresPermissionAttribute"/>).</summary>
public static class Permissions
{
    public const string NeuralDataRead = "neural_data.read";
    public const string NeuralDataExport = "neural_data.export";
    public const string NeuralDataProcess = "neural_data.process";
    public const string DevicesRead = "devices.read";
    public const string DevicesControl = "devices.control";
    public const string ClinicalRead = "clinical.read";
    public const string ClinicalWrite = "clinical.write";
    public const string PhiRead = "phi.read";
    public const string AuditRead = "audit.read";
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NeuralDataRead, NeuralDataExport, NeuralDataProcess, DevicesRead, DevicesControl,
        ClinicalRead, ClinicalWrite, PhiRead, AuditRead, Admin,
    };
}

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

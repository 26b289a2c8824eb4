using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Servers.Clinical;

[Description("The outcome of checking the audit log's hash chain.")]
public sealed record AuditVerificationResult(
    [property: Description("True when every entry links to the one before and none was altered.")] bool Intact,
    [property: Description("Entries examined (up to and including the first broken one).")] long Entries,
    [property: Description("Sequence number, in its writer's chain, of the first entry whose link, seal or checkpoint fails; null when intact.")] long? FirstBrokenSequence,
    [property: Description("The writer (one server or job-app process) whose chain broke; null when intact.")] string? FirstBrokenWriter,
    [property: Description("Chains examined: one per writer.")] int Writers,
    [property: Description("What was found, in words.")] string Detail);

/// <summary>Audit tools: for auditors, not for data access.</summary>
[McpServerToolType]
public sealed class AuditTools(IAuditLog audit)
{
    [McpServerTool(Name = "verify_audit_log", Title = "Verify the audit log", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AuditVerificationResult))]
    [RequiresPermission(Permissions.AuditRead)]
    [Description("Checks every chain of the append-only audit log (one per server or job-app process) from its first entry to its last and against its checkpoints, and reports the first entry that was removed, reordered, altered or cut off.")]
    public async Task<CallToolResult> VerifyAuditLog(CancellationToken cancellationToken = default)
    {
        var check = await audit.VerifyAsync(cancellationToken).ConfigureAwait(false);
        var result = new AuditVerificationResult(check.Intact, check.Entries, check.FirstBrokenSequence, check.FirstBrokenWriter, check.Writers, check.Detail);
        return ToolResults.Structured(check.Intact ? $"Audit log intact: {check.Entries} entries from {check.Writers} writer(s)." : $"Audit log BROKEN at entry {check.FirstBrokenSequence} of writer {check.FirstBrokenWriter}: {check.Detail}", result);
    }
}

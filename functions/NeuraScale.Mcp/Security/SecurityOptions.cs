using NeuraScale.Domain.Access;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Security;

/// <summary>Roles and what they grant. Section <c>Security</c>; configuration adds roles or replaces these defaults.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Role name → permissions. Defaults cover the brief's users; <c>demo</c> is everything but admin.</summary>
    public Dictionary<string, string[]> Roles { get; set; } = new(StringComparer.Ordinal)
    {
        ["admin"] = [.. Permissions.All],
        ["demo"] = [.. Permissions.All.Where(p => p != Permissions.Admin)],
        ["clinician"] = [Permissions.NeuralDataRead, Permissions.NeuralDataExport, Permissions.NeuralDataProcess, Permissions.NeuralDataImport, Permissions.DevicesRead, Permissions.ClinicalRead, Permissions.ClinicalWrite, Permissions.PhiRead],
        ["researcher"] = [Permissions.NeuralDataRead, Permissions.NeuralDataProcess, Permissions.NeuralDataExport],
        // The EEG technologist registers patients, records consent, books and runs protocols on the amplifiers — by
        // pseudonym: identities (phi.read) stay with clinicians.
        ["technician"] = [Permissions.NeuralDataRead, Permissions.NeuralDataImport, Permissions.DevicesRead, Permissions.DevicesControl, Permissions.ClinicalRead, Permissions.ClinicalWrite],
        ["auditor"] = [Permissions.AuditRead],
        ["compliance_officer"] = [Permissions.ComplianceAdmin, Permissions.AuditRead, Permissions.ClinicalRead],
        ["reader"] = [Permissions.NeuralDataRead],
    };

    /// <summary>Permissions granted by a set of roles; unknown roles grant nothing.</summary>
    public IReadOnlySet<string> PermissionsOf(IEnumerable<string> roles) =>
        roles.SelectMany(r => Roles.TryGetValue(r, out var granted) ? granted : []).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Start-up check: every role grants only known permissions.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var unknown = options.Roles.SelectMany(r => r.Value.Where(p => !Permissions.All.Contains(p)).Select(p => $"{r.Key}: {p}")).ToArray();
        return unknown.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Security:Roles grants unknown permissions ({string.Join("; ", unknown)}); known permissions are {string.Join(", ", Permissions.All)}.");
    }
}

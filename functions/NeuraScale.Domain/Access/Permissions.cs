namespace NeuraScale.Domain.Access;

/// <summary>The permissions a role can grant. Every MCP tool requires exactly one.</summary>
public static class Permissions
{
    public const string NeuralDataRead = "neural_data.read";
    public const string NeuralDataExport = "neural_data.export";
    public const string NeuralDataProcess = "neural_data.process";
    public const string NeuralDataImport = "neural_data.import";
    public const string DevicesRead = "devices.read";
    public const string DevicesControl = "devices.control";
    public const string ClinicalRead = "clinical.read";
    public const string ClinicalWrite = "clinical.write";
    public const string PhiRead = "phi.read";
    public const string AuditRead = "audit.read";

    /// <summary>Compliance officer: access reports per patient, erasure. Not part of clinical roles.</summary>
    public const string ComplianceAdmin = "compliance.admin";
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NeuralDataRead, NeuralDataExport, NeuralDataProcess, NeuralDataImport, DevicesRead, DevicesControl,
        ClinicalRead, ClinicalWrite, PhiRead, AuditRead, ComplianceAdmin, Admin,
    };
}

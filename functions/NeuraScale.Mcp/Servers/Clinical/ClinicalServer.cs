namespace NeuraScale.Mcp.Servers.Clinical;

/// <summary>The clinical-workflow server of the brief: patients (identifying data behind pseudonyms) and compliance (the audit log).</summary>
public static class ClinicalServer
{
    public static McpServerDefinition Definition { get; } = new(
        "clinical",
        "neurascale-clinical",
        "NeuraScale clinical workflow",
        "/mcp/clinical",
        "get_patient returns the identity behind a patient pseudonym (protected health information: use it only when the task needs it; every read is audited); verify_audit_log checks the audit log's hash chain for auditors.",
        [typeof(PatientTools), typeof(AuditTools)]);
}

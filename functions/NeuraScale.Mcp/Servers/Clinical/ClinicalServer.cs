namespace NeuraScale.Mcp.Servers.Clinical;

/// <summary>The clinical-workflow server of the brief: patients (identifying data behind pseudonyms), consent, protocols run on a device, and compliance (the audit log).</summary>
public static class ClinicalServer
{
    public static McpServerDefinition Definition { get; } = new(
        "clinical",
        "neurascale-clinical",
        "NeuraScale clinical workflow",
        "/mcp/clinical",
        "register_patient, find_patients and update_patient manage patients (names, birth dates and MRNs are protected health information: shown and searchable only with phi.read, every access audited; everything else uses the pseudonym); get_patient returns the identity behind a pseudonym (use it only when the task needs it); record_consent / get_consent keep each patient's consent per purpose; book_appointment, list_appointments, reschedule_appointment and cancel_appointment keep the recording schedule (local times with an explicit time zone; double bookings refused); list_protocols / get_protocol describe recording protocols and run_clinical_protocol runs one on an amplifier step by step (get_protocol_run follows it, stop_protocol_run ends it); generate_report writes a clinical, research or quality report as a PDF with a download link (get_job_status follows it); get_access_report (who accessed a patient's data), get_retention_policy and request_erasure (identity erased, reports and exports deleted, the audit trail kept) are for the compliance officer; verify_audit_log checks the audit log's hash chain for auditors.",
        [typeof(PatientTools), typeof(ConsentTools), typeof(SchedulingTools), typeof(ProtocolTools), typeof(ReportTools), typeof(NeuralData.JobTools), typeof(ComplianceTools), typeof(AuditTools)]);
}

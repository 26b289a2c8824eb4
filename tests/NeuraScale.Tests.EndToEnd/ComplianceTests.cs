using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The compliance officer's tools with the official MCP client: an access report from the audit log names who read,
/// exported or was refused what of one patient (and nothing of another); erasure removes the identity and every
/// export/report file, keeps the pseudonymous recordings and consent history, and leaves the audit log verifiable;
/// clinicians cannot use either.
/// </summary>
public sealed class ComplianceTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccessReport_ThenErasure_KeepsTheAuditTrailIntact()
    {
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        await using var mcp = await McpTestServer.StartAsync(storage, Ct);
        var clinicianKey = await McpTestServer.CreateKeyAsync(storage, ["clinician"], cancellationToken: Ct);
        var readerKey = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        await using var clinician = await McpTestServer.ConnectAsync(mcp.Endpoint, clinicianKey, Ct);
        await using var reader = await McpTestServer.ConnectAsync(mcp.Endpoint, readerKey, Ct);
        await using var officer = await McpTestServer.ConnectAsync(mcp.Endpoint, await McpTestServer.CreateKeyAsync(storage, ["compliance_officer"], cancellationToken: Ct), Ct);

        var patient = (await CallAsync(clinician, "register_patient", new() { ["given_name"] = "Rosalind", ["family_name"] = "Franklin", ["date_of_birth"] = "1980-07-25", ["medical_record_number"] = "MRN-COMP-1" })).GetProperty("patient_id").GetString()!;
        var other = (await CallAsync(clinician, "register_patient", new() { ["given_name"] = "Other", ["family_name"] = "Person", ["date_of_birth"] = "1970-01-01", ["medical_record_number"] = "MRN-COMP-2" })).GetProperty("patient_id").GetString()!;
        await CallAsync(clinician, "record_consent", new() { ["patient_id"] = patient, ["purpose"] = "clinical_care", ["given"] = true });
        var session = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, Speed = 10_000 }), Domain.PatientPseudonym.Parse(patient), 20, Ct);
        var sessionId = session.Id.Value;

        // What happens to the patient's data: an identity read, a data read, an export and a report, and a refused read.
        await CallAsync(clinician, "get_patient", new() { ["patient_id"] = patient });
        await CallAsync(clinician, "get_neural_data", new() { ["session_id"] = sessionId, ["end_time"] = 1 });
        var export = await CallAsync(clinician, "export_neural_data", new() { ["session_id"] = sessionId, ["format"] = "edf" });
        var report = await CallAsync(clinician, "generate_report", new() { ["session_ids"] = new[] { sessionId }, ["report_type"] = "clinical" });
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.True((await reader.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = patient }, cancellationToken: Ct)).IsError);
        await CallAsync(clinician, "get_patient", new() { ["patient_id"] = other });

        // Neither the clinician nor the reader may ask for the access report or erase.
        var refused = await clinician.CallToolAsync("get_access_report", new Dictionary<string, object?> { ["patient_id"] = patient }, cancellationToken: Ct);
        Assert.True(refused.IsError);
        Assert.Contains("needs the permission 'compliance.admin'", Text(refused), StringComparison.Ordinal);

        var access = await CallAsync(officer, "get_access_report", new() { ["patient_id"] = patient, ["days"] = 7 });
        var events = access.GetProperty("events").EnumerateArray().Select(e => (Caller: e.GetProperty("caller").GetString()!, Action: e.GetProperty("action").GetString()!, Outcome: e.GetProperty("outcome").GetString()!)).ToArray();
        var clinicianId = "key:" + clinicianKey.Split('_')[1];
        var readerId = "key:" + readerKey.Split('_')[1];
        Assert.Contains((clinicianId, "tools/call:get_patient", "ok"), events);
        Assert.Contains((clinicianId, "tools/call:get_neural_data", "ok"), events);
        Assert.Contains((clinicianId, "export/download_link", "issued"), events);
        Assert.Contains((clinicianId, "phi/read:report", "identity printed on the report"), events);
        Assert.Contains((clinicianId, "tools/call:generate_report", "ok"), events);
        Assert.Contains((readerId, "tools/call:get_patient", "forbidden"), events);
        Assert.Equal([sessionId], access.GetProperty("session_ids").EnumerateArray().Select(s => s.GetString()));
        var byClinician = access.GetProperty("callers").EnumerateArray().Single(c => c.GetProperty("caller").GetString() == clinicianId);
        Assert.True(byClinician.GetProperty("exports").GetInt32() >= 2, byClinician.ToString()); // the export's and the report's links
        Assert.Equal(1, access.GetProperty("callers").EnumerateArray().Single(c => c.GetProperty("caller").GetString() == readerId).GetProperty("refused").GetInt32());
        // Nothing about the other patient.
        Assert.DoesNotContain(access.GetProperty("events").EnumerateArray(), e => e.GetProperty("resources").EnumerateArray().Any(r => r.GetString() == other));

        // Erasure: refused without confirmation or with free text as the reason; then done.
        Assert.Contains("confirm", Text(await officer.CallToolAsync("request_erasure", new Dictionary<string, object?> { ["patient_id"] = patient, ["reason"] = "patient_request", ["confirm"] = "yes" }, cancellationToken: Ct)), StringComparison.Ordinal);
        Assert.Contains("patient_request, consent_withdrawn", Text(await officer.CallToolAsync("request_erasure", new Dictionary<string, object?> { ["patient_id"] = patient, ["reason"] = "she asked nicely", ["confirm"] = patient }, cancellationToken: Ct)), StringComparison.Ordinal);
        var erased = await CallAsync(officer, "request_erasure", new() { ["patient_id"] = patient, ["reason"] = "patient_request", ["confirm"] = patient });
        Assert.True(erased.GetProperty("audit_intact").GetBoolean());
        Assert.Equal(2, erased.GetProperty("jobs_emptied").GetArrayLength());
        Assert.Equal([sessionId], erased.GetProperty("sessions_kept").EnumerateArray().Select(s => s.GetString()));

        // The identity is gone everywhere; the files are gone; the pseudonymous record and the consent history remain.
        Assert.Contains("identity was erased", Text(await clinician.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = patient }, cancellationToken: Ct)), StringComparison.Ordinal);
        Assert.Contains("identity was erased", Text(await clinician.CallToolAsync("generate_report", new Dictionary<string, object?> { ["session_ids"] = new[] { sessionId } }, cancellationToken: Ct)), StringComparison.Ordinal);
        Assert.Empty((await CallAsync(clinician, "find_patients", new() { ["medical_record_number"] = "MRN-COMP-1" })).GetProperty("patients").EnumerateArray());
        Assert.Empty((await CallAsync(clinician, "find_patients", new() { ["family_name"] = "Frank" })).GetProperty("patients").EnumerateArray());
        Assert.Equal("expired", (await CallAsync(clinician, "get_job_status", new() { ["job_id"] = export.GetProperty("job_id").GetString() })).GetProperty("status").GetString());
        Assert.Equal("expired", (await CallAsync(clinician, "get_job_status", new() { ["job_id"] = report.GetProperty("job_id").GetString() })).GetProperty("status").GetString());
        Assert.Equal(sessionId, Assert.Single((await CallAsync(clinician, "query_sessions", new() { ["patient_id"] = patient })).GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Contains("clinical_care", (await CallAsync(clinician, "get_consent", new() { ["patient_id"] = patient })).ToString(), StringComparison.Ordinal);
        await CallAsync(clinician, "register_patient", new() { ["given_name"] = "New", ["family_name"] = "Holder", ["date_of_birth"] = "1999-09-09", ["medical_record_number"] = "MRN-COMP-1" }); // the MRN is free again

        // The audit trail is whole and records the erasure, without any identifying text.
        var auditor = await McpTestServer.ConnectAsync(mcp.Endpoint, await McpTestServer.CreateKeyAsync(storage, ["auditor"], cancellationToken: Ct), Ct);
        await using var _ = auditor;
        Assert.True((await CallAsync(auditor, "verify_audit_log", new())).GetProperty("intact").GetBoolean());
        var lines = await AuditLines.ReadAsync(storage, Ct);
        Assert.Contains(lines, l => l.Contains("\"compliance/erasure\"", StringComparison.Ordinal) && l.Contains(patient, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Franklin", StringComparison.Ordinal) || l.Contains("MRN-COMP-1", StringComparison.Ordinal));

        var policy = await CallAsync(clinician, "get_retention_policy", new());
        Assert.Contains(policy.GetProperty("rules").EnumerateArray(), r => r.GetProperty("data").GetString()!.StartsWith("Audit log", StringComparison.Ordinal) && r.GetProperty("kept").GetString()!.Contains("6 years", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

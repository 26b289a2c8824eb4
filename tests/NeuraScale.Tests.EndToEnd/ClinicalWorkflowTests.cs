using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// A clinical lab's day with the official MCP client over HTTP and the edge relay as its own process: register the
/// patient, find them by MRN, record consent, book the recording, run the protocol on the amplifier with progress per
/// step (the instructions to read to the patient), and find the session on the appointment. (The report comes next.)
/// </summary>
public sealed class ClinicalWorkflowTests(AzuriteFixture azurite)
{
    private const string Device = "clinic-eeg-01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterConsentBookAndRunTheProtocol_ThroughTheTools()
    {
        var storage = azurite.IsolatedOptions();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["clinician", "technician"], cancellationToken: Ct);
        await using var mcp = await McpTestServer.StartAsync(storage, new Dictionary<string, string?> { ["Workflows:TaskHubName"] = "ClinicE2e", ["Workflows:PartitionCount"] = "1" }, Ct);
        await using var client = await McpTestServer.ConnectAsync(mcp.Endpoint, key, Ct);
        using var relay = RelayProcess.Start(storage, ["serve", "--relay-id", "clinic-relay"], new Dictionary<string, string?>
        {
            ["NEURASCALE_Control__SpoolDirectory"] = Directory.CreateTempSubdirectory("clinic-relay-").FullName,
            ["NEURASCALE_Control__HeartbeatSeconds"] = "1",
            ["NEURASCALE_Control__Devices__0__DeviceId"] = Device,
            ["NEURASCALE_Control__Devices__0__Speed"] = "40",
        });

        var registered = await CallAsync(client, "register_patient", new() { ["given_name"] = "Grace", ["family_name"] = "Hopper", ["date_of_birth"] = "1976-12-09", ["medical_record_number"] = "MRN-E2E-1" });
        var patient = registered.GetProperty("patient_id").GetString()!;
        var found = await CallAsync(client, "find_patients", new() { ["medical_record_number"] = "mrn-e2e-1" });
        Assert.Equal(patient, Assert.Single(found.GetProperty("patients").EnumerateArray()).GetProperty("patient_id").GetString());
        await CallAsync(client, "record_consent", new() { ["patient_id"] = patient, ["purpose"] = "research", ["given"] = true, ["note"] = "written form signed" });

        var watch = Stopwatch.StartNew();
        while (!(await CallAsync(client, "list_devices", new())).GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("device_id").GetString() == Device))
        {
            Assert.False(relay.Process.HasExited, relay.Output);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the relay did not register its device:\n" + relay.Output);
            await Task.Delay(100, Ct);
        }

        var soon = DateTimeOffset.UtcNow.AddMinutes(2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var appointment = await CallAsync(client, "book_appointment", new() { ["patient_id"] = patient, ["protocol_id"] = "resting-state", ["device_id"] = Device, ["technologist"] = "K. Tech", ["start"] = soon, ["time_zone"] = "UTC" });
        var appointmentId = appointment.GetProperty("appointment_id").GetString()!;

        var updates = new List<ProgressNotificationValue>();
        var run = await client.CallToolAsync("run_clinical_protocol", new Dictionary<string, object?>
        {
            ["protocol_id"] = "resting-state", ["patient_id"] = patient, ["device_id"] = Device, ["appointment_id"] = appointmentId, ["wait_seconds"] = 300,
        }, new SynchronousProgress(updates), cancellationToken: Ct);
        Assert.True(run.IsError != true, Text(run));
        var result = JsonSerializer.SerializeToElement(run.StructuredContent).GetProperty("result");
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.All(result.GetProperty("steps").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("outcome").GetString()));
        Assert.True(result.GetProperty("steps")[0].GetProperty("quality_scores")[0].GetDouble() >= 50); // the protocol's own minimum held on a good signal

        // Progress per step, each with what to read to the patient.
        lock (updates)
        {
            Assert.Contains(updates, u => u.Message!.Contains("Step 2 of 4: Eyes closed. Read to the patient: \"Please close your eyes.", StringComparison.Ordinal) && u.Progress == 2 && u.Total == 4);
            Assert.Contains(updates, u => u.Message!.StartsWith("Measuring electrode impedances", StringComparison.Ordinal));
        }

        var sessionId = result.GetProperty("session_id").GetString();
        var listed = await CallAsync(client, "list_appointments", new() { ["patient_id"] = patient });
        Assert.Equal(sessionId, Assert.Single(listed.GetProperty("appointments").EnumerateArray()).GetProperty("session_ids")[0].GetString());
        var status = await CallAsync(client, "get_protocol_run", new() { ["run_id"] = result.GetProperty("run_id").GetString() });
        Assert.Equal("completed", status.GetProperty("state").GetString());
        var sessions = await CallAsync(client, "query_sessions", new() { ["patient_id"] = patient });
        Assert.Equal(sessionId, Assert.Single(sessions.GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetString());
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

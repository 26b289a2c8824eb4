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
/// patient, find them by MRN, record consent, book the recording, run the routine EEG on the amplifier with progress
/// per step (the instructions to read to the patient), find the session on the appointment, then write the clinical
/// report, download it through its link, read it back with PdfPig (identity, sections, and band powers equal to
/// run_analysis on the same stretch) and render its pages with pdftoppm.
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
        await using var mcp = await McpTestServer.StartAsync(storage, new Dictionary<string, string?> { ["Workflows:TaskHubName"] = "ClinicE2e", ["Workflows:PartitionCount"] = "1", ["Jobs:RunInProcess"] = "true" }, Ct);
        await using var client = await McpTestServer.ConnectAsync(mcp.Endpoint, key, Ct);
        using var relay = RelayProcess.Start(storage, ["serve", "--relay-id", "clinic-relay"], new Dictionary<string, string?>
        {
            ["NEURASCALE_Control__SpoolDirectory"] = Directory.CreateTempSubdirectory("clinic-relay-").FullName,
            ["NEURASCALE_Control__HeartbeatSeconds"] = "1",
            ["NEURASCALE_Control__Devices__0__DeviceId"] = Device,
            ["NEURASCALE_Control__Devices__0__Speed"] = "20", // 20 min of routine EEG in a minute; faster, command latency eats recording time
        });

        var registered = await CallAsync(client, "register_patient", new() { ["given_name"] = "Grace", ["family_name"] = "Hopper", ["date_of_birth"] = "1976-12-09", ["medical_record_number"] = "MRN-E2E-1" });
        var patient = registered.GetProperty("patient_id").GetString()!;
        var found = await CallAsync(client, "find_patients", new() { ["medical_record_number"] = "mrn-e2e-1" });
        Assert.Equal(patient, Assert.Single(found.GetProperty("patients").EnumerateArray()).GetProperty("patient_id").GetString());
        await CallAsync(client, "record_consent", new() { ["patient_id"] = patient, ["purpose"] = "research", ["given"] = true, ["note"] = "written form signed" });
        await CallAsync(client, "record_consent", new() { ["patient_id"] = patient, ["purpose"] = "clinical_care", ["given"] = true, ["note"] = "written form signed" });

        var watch = Stopwatch.StartNew();
        while (!(await CallAsync(client, "list_devices", new())).GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("device_id").GetString() == Device))
        {
            Assert.False(relay.Process.HasExited, relay.Output);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the relay did not register its device:\n" + relay.Output);
            await Task.Delay(500, Ct); // within the caller's rate limit however long the relay takes

        }

        var soon = DateTimeOffset.UtcNow.AddMinutes(2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var appointment = await CallAsync(client, "book_appointment", new() { ["patient_id"] = patient, ["protocol_id"] = "routine-eeg", ["device_id"] = Device, ["technologist"] = "K. Tech", ["start"] = soon, ["time_zone"] = "UTC" });
        var appointmentId = appointment.GetProperty("appointment_id").GetString()!;

        var updates = new List<ProgressNotificationValue>();
        var run = await client.CallToolAsync("run_clinical_protocol", new Dictionary<string, object?>
        {
            ["protocol_id"] = "routine-eeg", ["patient_id"] = patient, ["device_id"] = Device, ["appointment_id"] = appointmentId, ["wait_seconds"] = 600,
        }, new SynchronousProgress(updates), cancellationToken: Ct);
        Assert.True(run.IsError != true, Text(run));
        var result = JsonSerializer.SerializeToElement(run.StructuredContent).GetProperty("result");
        Assert.True(result.GetProperty("status").GetString() == "completed", result.ToString());
        Assert.All(result.GetProperty("steps").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("outcome").GetString()));
        Assert.True(result.GetProperty("steps")[0].GetProperty("quality_scores")[0].GetDouble() >= 50); // the protocol's own minimum held on a good signal

        // Progress per step, each with what to read to the patient.
        lock (updates)
        {
            Assert.Contains(updates, u => u.Message!.Contains("Step 3 of 6: Hyperventilation. Read to the patient:", StringComparison.Ordinal) && u.Progress == 3 && u.Total == 6);
            Assert.Contains(updates, u => u.Message!.StartsWith("Measuring electrode impedances", StringComparison.Ordinal));
        }

        var sessionId = result.GetProperty("session_id").GetString();
        var listed = await CallAsync(client, "list_appointments", new() { ["patient_id"] = patient });
        Assert.Equal(sessionId, Assert.Single(listed.GetProperty("appointments").EnumerateArray()).GetProperty("session_ids")[0].GetString());
        var status = await CallAsync(client, "get_protocol_run", new() { ["run_id"] = result.GetProperty("run_id").GetString() });
        Assert.Equal("completed", status.GetProperty("state").GetString());
        var sessions = await CallAsync(client, "query_sessions", new() { ["patient_id"] = patient });
        Assert.Equal(sessionId, Assert.Single(sessions.GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetString());

        // The run asked for its report when it ended; the job worker writes it.
        var runReport = result.GetProperty("report_job_id").GetString()!;
        JsonElement job;
        watch.Restart();
        while ((job = await CallAsync(client, "get_job_status", new() { ["job_id"] = runReport })).GetProperty("status").GetString() != "succeeded")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"the run's report is still {job.GetProperty("status").GetString()}: {job}");
            await Task.Delay(1000, Ct); // a client polling within its rate limit (100 calls a minute), as a real one must

        }

        // The neurologist asks for the clinical report with the run's impedances and steps.
        var report = await CallAsync(client, "generate_report", new() { ["session_ids"] = new[] { sessionId }, ["report_type"] = "clinical", ["protocol_run_id"] = result.GetProperty("run_id").GetString(), ["wait_seconds"] = 50 });
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(["summary", "methods", "results", "conclusions"], report.GetProperty("sections").EnumerateArray().Select(e => e.GetString()));
        Assert.True(report.GetProperty("identity_included").GetBoolean());
        Assert.Contains("Posterior dominant rhythm", report.GetProperty("preview").GetString(), StringComparison.Ordinal);
        // The simulated subject's alpha blocks with the eyes open (the protocol's markers tell the simulator): reactive.
        Assert.Contains(report.GetProperty("findings").EnumerateArray(), f => f.GetString()!.StartsWith("Alpha reactive to eye opening", StringComparison.Ordinal));
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(report.GetProperty("download_url").GetString(), Ct);
        Assert.Equal(report.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        var pdf = PdfText.Read(bytes);
        var text = pdf.All;
        foreach (var expected in new[] { "Clinical EEG report", "Hopper, Grace", "1976-12-09", "MRN-E2E-1", sessionId!, "Electrode impedances before recording", "Protocol routine-eeg: steps as run", "Hyperventilation", "Photic", "Alpha reactivity", "Findings (machine-generated, pending clinician review)", "Reviewing clinician" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        // The band powers printed are run_analysis's for the stretch the report analysed: eyes closed, from its marker
        // + 2 s to the next step's marker.
        var steps = result.GetProperty("steps").EnumerateArray().ToArray();
        double Start(string step) => steps.Single(s => s.GetProperty("step_id").GetString() == step).GetProperty("start_seconds").GetDouble();
        var matched = false;
        foreach (var (from, to) in new[] { (Start("eyes-closed") + 2, Start("eyes-open")) })
        {
            var analysis = await CallAsync(client, "run_analysis", new() { ["session_id"] = sessionId, ["analysis_type"] = "spectral", ["start_time"] = from, ["end_time"] = to });
            var spectral = analysis.GetProperty("spectral");
            var bands = spectral.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("name").GetString()!).ToArray();
            matched |= spectral.GetProperty("channels").EnumerateArray().All(channel =>
                text.Contains(string.Join(" ", bands.Select(b => Processing.Reports.ReportLayout.Power(channel.GetProperty("band_power_uv2").GetProperty(b).GetDouble())).Prepend(channel.GetProperty("channel").GetString())), StringComparison.Ordinal));
        }

        Assert.True(matched, "no eyes-closed stretch's run_analysis band powers are printed in the report:\n" + text);

        // Rendered as a reader sees it: every page an image with ink on it.
        var pages = PdfPages.Render(bytes, Path.Combine(Path.GetTempPath(), "neurascale-lab-day-report"));
        Assert.Equal(pdf.Pages.Count, pages.Count);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Patients;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>A run that touches identifying patient data, with every log line the server writes captured and searched.</summary>
public sealed class PhiLoggingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerLogs_NeverContainNamesDatesOfBirthOrMrns()
    {
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        var identity = new PatientIdentity("Zephyrine", "Quackenbush", new DateOnly(1977, 3, 14), "MRN-7731-PHI");
        var patient = await new PatientRegistry(clients, TimeProvider.System).RegisterAsync(identity, Ct);
        var session = await TestRecorder.RecordAsync(clients, new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4, Speed = 10_000 }), patient.Pseudonym, 3, Ct);

        var logs = new CapturingLoggerProvider();
        // Everything our code and ASP.NET Core write, down to Trace (the SDK is capped at Information by the server itself).
        Dictionary<string, string?> verbose = new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:ModelContextProtocol"] = "Trace",
        };
        await using var server = await McpTestServer.StartAsync(storage, verbose, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        }, Ct);
        var clinicianKey = await McpTestServer.CreateKeyAsync(storage, ["clinician"], cancellationToken: Ct);
        var readerKey = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        await using var clinician = await McpTestServer.ConnectAsync(server.Endpoint, clinicianKey, Ct);
        await using var reader = await McpTestServer.ConnectAsync(server.Endpoint, readerKey, Ct);

        var phi = await clinician.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = patient.Pseudonym.Value }, cancellationToken: Ct);
        await clinician.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = patient.Pseudonym.Value }, cancellationToken: Ct);
        await clinician.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = session.Id.Value, ["end_time"] = 0.1 }, cancellationToken: Ct);
        await clinician.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = "Zephyrine Quackenbush 1977-03-14" }, cancellationToken: Ct);
        await clinician.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["patient_id"] = "MRN-7731-PHI" }, cancellationToken: Ct);
        await reader.CallToolAsync("get_patient", new Dictionary<string, object?> { ["patient_id"] = patient.Pseudonym.Value }, cancellationToken: Ct);

        // The PHI did pass through the server during the run...
        var text = string.Concat(phi.Content.OfType<TextContentBlock>().Select(t => t.Text)) + System.Text.Json.JsonSerializer.Serialize(phi.StructuredContent);
        Assert.Contains("Quackenbush", text, StringComparison.Ordinal);
        // ...and the server did log (so the scan below is looking at something)...
        Assert.True(logs.Lines.Count > 20, $"only {logs.Lines.Count} log lines captured");
        // ...but none of it reached a log line.
        foreach (var secret in new[] { "Zephyrine", "Quackenbush", "1977-03-14", "14/03/1977", "3/14/1977", "MRN-7731-PHI" })
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        // The PHI read was audited under the caller's key id.
        var auditor = await McpTestServer.CreateKeyAsync(storage, ["auditor"], cancellationToken: Ct);
        var audit = string.Join('\n', await AuditLines.ReadAsync(clients, Ct));
        Assert.Contains("\"action\":\"phi/read:patient\"", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("Quackenbush", audit, StringComparison.Ordinal);
        Assert.NotNull(auditor);
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Analysis;
using NeuraScale.Processing.Clinical;
using NeuraScale.Processing.Reports;
using NeuraScale.Storage;
using NeuraScale.Storage.Patients;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Reports written as jobs on Azurite and read back with an independent PDF reader (PdfPig): the numbers printed are
/// run_analysis's for the same stretch, the identity is printed only for a caller with phi.read (never on a research
/// report), consent is checked first, and every bad argument is refused with what is allowed.
/// </summary>
public sealed class ReportTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HttpClient Http = new();

    private static Caller Clinician(bool phi) => new(
        "key:neuro", "Dr Neuro", new HashSet<string> { "clinician" },
        new HashSet<string>(phi ? [Permissions.ClinicalRead, Permissions.NeuralDataRead, Permissions.PhiRead] : [Permissions.ClinicalRead, Permissions.NeuralDataRead]), null);

    private async Task<(ServiceProvider Services, RecordingSession Session, Patient Patient, StorageClients Clients)> RecordAsync(string? consent, SimulatorOptions? options = null)
    {
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        var services = ControlPlaneHosts.Server(storage, TimeProvider.System);
        var patient = await services.GetRequiredService<PatientRegistry>().RegisterAsync(new PatientIdentity("Ada", "Lovelace", new DateOnly(1985, 12, 10), "MRN-" + Identifiers.RandomBase32(8)), Ct);
        if (consent is not null)
        {
            await services.GetRequiredService<ConsentService>().RecordAsync(Clinician(phi: true), patient.Pseudonym.Value, consent, given: true, "signed form", Ct);
        }

        var amp = new SimulatedAmplifier(options ?? new SimulatorOptions { Speed = 10_000, Seed = 11, PoorContactChannels = ["T8"] });
        var session = await TestRecorder.RecordAsync(clients, amp, patient.Pseudonym, 90, Ct);
        return (services, session, patient, clients);
    }

    private static async Task<(ReportDetails Details, PdfText Pdf, byte[] Bytes)> GenerateAsync(ServiceProvider services, ReportArguments arguments)
    {
        var view = await services.GetRequiredService<ReportJobs>().GenerateAsync(arguments, null, Ct);
        Assert.True(view.Status == "succeeded", $"report job {view.Status}: {view.Message}");
        var file = Assert.Single(view.Files);
        Assert.Equal("application/pdf", file.File.ContentType);
        var bytes = await Http.GetByteArrayAsync(file.Link.Url, Ct);
        Assert.Equal(file.File.SizeBytes, bytes.Length);
        return (System.Text.Json.JsonSerializer.Deserialize<ReportDetails>(view.Details!.Value)!, PdfText.Read(bytes), bytes);
    }

    [Fact]
    public async Task ClinicalReport_PrintsRunAnalysisNumbers_IdentityWithPhiRead_AndASignatureBlock()
    {
        var (services, session, patient, clients) = await RecordAsync(ConsentPurposes.ClinicalCare);
        var caller = Clinician(phi: true);
        var (details, pdf, bytes) = await GenerateAsync(services, new ReportArguments([session.Id.Value], "clinical", null, null, null, null, 0, caller));

        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "neurascale-clinical-report.pdf"), bytes);
        Assert.Equal("Clinical EEG report", pdf.Title);
        Assert.Equal(ReportSections.All, details.Sections);
        Assert.True(details.IdentityIncluded);
        Assert.True(pdf.Pages.Count >= 3, $"{pdf.Pages.Count} pages");
        var text = pdf.All;
        foreach (var expected in new[] { "Lovelace, Ada", "1985-12-10", patient.Identity.MedicalRecordNumber, patient.Pseudonym.Value, session.Id.Value, "DRAFT", "Summary", "Recording and methods", "Results", "Findings (machine-generated, pending clinician review)", "Reviewing clinician", "Signature", "Posterior dominant rhythm", "International 10–20 system" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.True(pdf.ImagesPerPage.Sum() >= 1, "the PSD figure is on a page");
        Assert.All(pdf.Pages, (page, i) => Assert.Contains($"Page {i + 1} of {pdf.Pages.Count}", page, StringComparison.Ordinal));

        // The band powers printed are run_analysis's own for the same stretch (the whole recording: no eye-state markers).
        var analysis = await services.GetRequiredService<AnalysisService>().RunAsync(new AnalysisRequest(session.Id.Value, "spectral", null, null, 0, session.DurationSeconds, caller), null, Ct);
        foreach (var channel in analysis.Result.Spectral!.Channels)
        {
            var row = string.Join(" ", new[] { channel.Channel }.Concat(analysis.Result.Spectral.Bands.Select(b => ReportLayout.Power(channel.BandPowerUv2[b.Name]))));
            Assert.Contains(row, text, StringComparison.Ordinal);
        }

        // The repeated stimuli are averaged by run_analysis erp itself: its components are the ones printed.
        var erp = await services.GetRequiredService<AnalysisService>().RunAsync(new AnalysisRequest(session.Id.Value, "erp", System.Text.Json.JsonSerializer.SerializeToElement(new { event_labels = new[] { "stimulus/standard" } }), null, 0, session.DurationSeconds, caller), null, Ct);
        var standard = Assert.Single(erp.Result.Erp!.Conditions);
        Assert.Contains($"ERP components, 'stimulus/standard' ({standard.NEpochs} epochs)", text, StringComparison.Ordinal);
        foreach (var component in standard.Components.Where(c => c.Found))
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{component.Name} {component.WindowS[0] * 1000:0}–{component.WindowS[1] * 1000:0} yes {component.Channel} {component.LatencyS * 1000:0} {component.AmplitudeUv:+0.0;−0.0}"), text, StringComparison.Ordinal);
        }

        Assert.Contains(details.Findings!, f => f.StartsWith("Evoked response to 'stimulus/standard'", StringComparison.Ordinal));

        // The poorly attached T8 is named as unreliable; the preview (kept in the jobs table) never carries identity.
        Assert.Contains(details.Findings!, f => f.Contains("T8", StringComparison.Ordinal) && f.Contains("poor quality", StringComparison.Ordinal));
        Assert.DoesNotContain("Lovelace", details.Preview, StringComparison.Ordinal);
        Assert.Contains("Posterior dominant rhythm 10.", details.Preview, StringComparison.Ordinal);
        await services.DisposeAsync(); // flushes the audit log
        Assert.Contains(await AuditLines.ReadAsync(clients, Ct), l => l.Contains("\"phi/read:report\"", StringComparison.Ordinal) && l.Contains(patient.Pseudonym.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutPhiRead_OrOnAResearchReport_OnlyThePseudonymIsPrinted()
    {
        var (services, session, patient, _) = await RecordAsync(ConsentPurposes.ClinicalCare);
        await using var provider = services;
        await services.GetRequiredService<ConsentService>().RecordAsync(Clinician(phi: true), patient.Pseudonym.Value, ConsentPurposes.Research, given: true, "study consent", Ct);

        var (clinical, clinicalPdf, _) = await GenerateAsync(services, new ReportArguments([session.Id.Value], "clinical", ["summary", "conclusions"], null, null, null, 0, Clinician(phi: false)));
        var (research, researchPdf, _) = await GenerateAsync(services, new ReportArguments([session.Id.Value], "research", null, null, null, null, 0, Clinician(phi: true)));

        Assert.False(clinical.IdentityIncluded);
        Assert.False(research.IdentityIncluded);
        Assert.Equal(["summary", "conclusions"], clinical.Sections);
        foreach (var pdf in new[] { clinicalPdf, researchPdf })
        {
            Assert.Contains(patient.Pseudonym.Value, pdf.All, StringComparison.Ordinal);
            Assert.DoesNotContain("Lovelace", pdf.All, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.Identity.MedicalRecordNumber, pdf.All, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Recording and methods", clinicalPdf.All, StringComparison.Ordinal);
        Assert.Equal("Research recording summary", researchPdf.Title);
    }

    [Fact]
    public async Task ConsentAndEveryArgument_AreChecked_BeforeAnyWork()
    {
        var (services, session, _, _) = await RecordAsync(consent: null, new SimulatorOptions { Speed = 10_000, ChannelCount = 4 });
        await using var _ = services;
        var reports = services.GetRequiredService<ReportJobs>();
        var caller = Clinician(phi: true);
        async Task<string> Refused(ReportArguments arguments) => (await Assert.ThrowsAsync<InvalidRequestException>(() => reports.GenerateAsync(arguments, null, Ct))).Message;
        var id = session.Id.Value;

        Assert.Contains("record_consent", await Refused(new ReportArguments([id], "clinical", null, null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("clinical, research, quality", await Refused(new ReportArguments([id], "summary", null, null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("summary, methods, results, conclusions", await Refused(new ReportArguments([id], "clinical", ["abstract"], null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("1–8 different sessions", await Refused(new ReportArguments([], "clinical", null, null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("1–8 different sessions", await Refused(new ReportArguments([id, id], "clinical", null, null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("query_sessions", await Refused(new ReportArguments(["ses_nope"], "clinical", null, null, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("not among session_ids", await Refused(new ReportArguments([id], "clinical", null, new Dictionary<string, string> { ["ses_aaaaaaaaaaaaaaaaaaaa"] = "eyes_closed" }, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("eyes_closed or eyes_open", await Refused(new ReportArguments([id], "clinical", null, new Dictionary<string, string> { [id] = "asleep" }, null, null, 0, caller)), StringComparison.Ordinal);
        Assert.Contains("link_expiry_hours", await Refused(new ReportArguments([id], "clinical", null, null, null, 500, 0, caller)), StringComparison.Ordinal);

        // Another patient's recording cannot join the report; a caller scoped to other patients cannot see it at all.
        var other = await RecordAsync(consent: null, new SimulatorOptions { Speed = 10_000, ChannelCount = 4 });
        await using var __ = other.Services;
        var scoped = caller with { PatientScope = new HashSet<PatientPseudonym> { PatientPseudonym.New() } };
        Assert.Contains("query_sessions", await Refused(new ReportArguments([id], "quality", null, null, null, null, 0, scoped)), StringComparison.Ordinal);
    }
}

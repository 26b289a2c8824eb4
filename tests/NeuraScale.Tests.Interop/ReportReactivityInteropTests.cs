using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Formats.Edf;
using NeuraScale.Processing.Clinical;
using NeuraScale.Processing.Reports;
using NeuraScale.Storage;
using NeuraScale.Storage.Patients;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// The report's alpha reactivity on the real eyes-open / eyes-closed pair (PhysioNet EEGMMIDB S001R01 / S001R02),
/// replayed through the relay into Azurite as two sessions of one patient: every channel's alpha power by eye state,
/// and the posterior ratio the findings state, equal what MNE + SciPy compute from the same files in the run — and the
/// report states the eyes-closed increase.
/// </summary>
public sealed class ReportReactivityInteropTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Stored as float32: relative agreement to a few float32 ulps over a 60-s Welch average.</summary>
    private const double Relative = 1e-5;

    [Fact]
    public async Task AlphaReactivity_OnTheRealPair_EqualsScipy_AndStatesTheEyesClosedIncrease()
    {
        var open = RepositoryPaths.EegMmiDb("S001R01.edf");
        var closed = RepositoryPaths.EegMmiDb("S001R02.edf");
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(Ct);
        await using var services = TestServices.Application(storage, TimeProvider.System);
        var caller = new Caller("key:neuro", "Dr Neuro", new HashSet<string> { "clinician" }, new HashSet<string> { Permissions.ClinicalRead, Permissions.NeuralDataRead }, null);
        var patient = await services.GetRequiredService<PatientRegistry>().RegisterAsync(new PatientIdentity("Sub", "Ject", new DateOnly(1990, 1, 1), "MRN-" + Identifiers.RandomBase32(8)), Ct);
        await services.GetRequiredService<ConsentService>().RecordAsync(caller, patient.Pseudonym.Value, ConsentPurposes.Research, given: true, "PhysioNet ODC-By", Ct);
        var sessions = new Dictionary<string, RecordingSession>();
        foreach (var (state, path) in new[] { ("eyes_open", open), ("eyes_closed", closed) })
        {
            using var replay = new EdfReplayDriver(new EdfReplayOptions { Path = path, Speed = 10_000 });
            sessions[state] = await TestRecorder.RecordAsync(clients, replay, patient.Pseudonym, 0, Ct);
        }

        var conditions = sessions.ToDictionary(s => s.Value.Id.Value, s => s.Key);
        var ids = new[] { sessions["eyes_open"].Id.Value, sessions["eyes_closed"].Id.Value };
        var request = new ReportRequest(ids, ReportTypes.Research, ReportSections.All, conditions, false, Processing.Clinical.Runs.RunCaller.From(caller), null);
        var document = await services.GetRequiredService<ReportBuilder>().BuildAsync(request, "job_interop", null, Ct);
        var reactivity = Assert.IsType<ReactivitySection>(document.Reactivity);

        // SciPy on the files themselves: every channel's 8–13 Hz power, eyes closed and open.
        string[] labels;
        using (var reader = EdfReader.Open(closed))
        {
            labels = reader.Header.Signals.Select(s => s.Label).Where(l => !l.Contains("Annotations", StringComparison.Ordinal)).ToArray();
        }

        var scipy = PythonReference.Run("berger_scipy.py", new { files = new Dictionary<string, string> { ["open"] = open, ["closed"] = closed }, channels = labels });
        double Alpha(string state, string label) => scipy.GetProperty(state).GetProperty(label).GetProperty("alpha_uv2").GetDouble();
        Assert.Equal(labels.Length, reactivity.Channels.Count);
        foreach (var label in labels)
        {
            var channel = Assert.Single(reactivity.Channels, c => c.Channel == ElectrodeNames.Normalize(label));
            Assert.Equal(Alpha("closed", label), channel.EyesClosedAlphaUv2, Alpha("closed", label) * Relative);
            Assert.Equal(Alpha("open", label), channel.EyesOpenAlphaUv2, Alpha("open", label) * Relative);
        }

        var posterior = labels.Where(l => ReportBuilder.IsPosterior(l)).ToArray();
        var ratio = posterior.Sum(l => Alpha("closed", l)) / posterior.Sum(l => Alpha("open", l));
        output.WriteLine($"SciPy posterior EC/EO alpha ratio {ratio:0.000} over {posterior.Length} channels; report {reactivity.PosteriorRatio:0.000}");
        Assert.Equal(posterior.Select(ElectrodeNames.Normalize), reactivity.PosteriorChannels);
        Assert.Equal(ratio, reactivity.PosteriorRatio, ratio * Relative);

        // The physiology, and the report saying it: alpha higher with the eyes closed, stated as the number SciPy gives.
        Assert.True(ratio > 1.5, $"posterior alpha only {ratio:0.00}× higher with eyes closed");
        var finding = Assert.Single(document.Findings, f => f.Contains("to eye opening", StringComparison.Ordinal));
        Assert.Contains(ratio.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) + "× higher with eyes closed", finding, StringComparison.Ordinal);
        Assert.StartsWith("Alpha reactive", finding, StringComparison.Ordinal);
        output.WriteLine(finding);
    }
}

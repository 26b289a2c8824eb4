using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Viewer;
using NeuraScale.Signals.Montages;
using NeuraScale.Storage;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// A viewer page (#17) of a stored recording on Azurite — average reference, 0.5 Hz high-pass, 35 Hz low-pass, 50 Hz
/// notch — equals SciPy doing the same to the same stored samples over the same margin-padded window (two periods of
/// the high-pass on either side), cut to the page.
/// </summary>
public sealed class ViewerPageInteropTests(AzuriteFixture azurite) : IDisposable
{
    private const int Rate = 250;
    private readonly string _dir = Directory.CreateTempSubdirectory("viewer-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task FilteredAverageReferencePage_EqualsScipy_AndEdgesAndBadRequestsAreHandled()
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(ct);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = Rate, Seed = 3, Speed = 10_000 });
        var session = await TestRecorder.RecordAsync(clients, amp, PatientPseudonym.New(), 40, ct);
        await using var services = TestServices.Application(storage, TimeProvider.System); // composed as the server composes them
        var service = services.GetRequiredService<ViewerPageService>();
        var reader = services.GetRequiredService<SignalWindowReader>();
        var caller = new Caller("key_test", "test", new HashSet<string> { "reader" }, new HashSet<string> { Permissions.NeuralDataRead }, null);

        var page = await service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 20, 10, MontageKind.AverageReference, 0.5, 35, 50, caller), ct);

        Assert.Equal(session.Channels.Select(c => c.Name + "-avg"), page.Traces.Select(t => t.Name));
        Assert.All(page.Traces, t => Assert.Equal(10 * Rate, t.Microvolts.Length));
        Assert.Equal(20, page.StartSeconds);
        Assert.Equal(40, page.RecordingSeconds);
        Assert.All(page.Events, e => Assert.InRange(e.OnsetSeconds, 20, 30));

        // SciPy on the stored samples of the page plus 4 s (2 / 0.5 Hz) on either side.
        var window = await reader.ReadAsync(session, 16 * Rate, 18 * Rate, Enumerable.Range(0, session.Channels.Count).ToArray(), ct);
        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, window.Data.SelectMany(c => c).ToArray());
        var output = Path.Combine(_dir, "y.f64");
        PythonReference.Run("viewer_scipy.py", new { input, channels = session.Channels.Count, fs = Rate, high_pass = 0.5, low_pass = 35.0, notch = 50.0, offset = 4 * Rate, length = 10 * Rate, @out = output });
        var expected = PythonReference.ReadFloat64(output);
        for (var c = 0; c < page.Traces.Count; c++)
        {
            var trace = page.Traces[c].Microvolts;
            var worst = Enumerable.Range(0, trace.Length).Max(i => Math.Abs(trace[i] - expected[(c * trace.Length) + i]));
            var scale = Enumerable.Range(0, trace.Length).Max(i => Math.Abs(expected[(c * trace.Length) + i]));
            Assert.True(worst <= 1e-5 * scale + 1e-4, $"{page.Traces[c].Name}: largest difference from SciPy {worst:E2} µV (peak {scale:0.0} µV)");
        }

        // The last page is cut at the recording's end; a double banana of the simulator's montage; bad requests say what is allowed.
        var last = await service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 35, 10, MontageKind.LongitudinalBipolar, null, null, null, caller), ct);
        Assert.All(last.Traces, t => Assert.Equal(5 * Rate, t.Microvolts.Length));
        Assert.NotEmpty(last.Traces);
        Assert.Contains("below low_pass_hz", (await Assert.ThrowsAsync<InvalidRequestException>(() => service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 0, 10, MontageKind.Referential, 40, 30, null, caller), ct))).Message, StringComparison.Ordinal);
        Assert.Contains("before the recording's end", (await Assert.ThrowsAsync<InvalidRequestException>(() => service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 40, 10, MontageKind.Referential, null, null, null, caller), ct))).Message, StringComparison.Ordinal);
        Assert.Contains("Nyquist", (await Assert.ThrowsAsync<InvalidRequestException>(() => service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 0, 10, MontageKind.Referential, null, 200, null, caller), ct))).Message, StringComparison.Ordinal);
        Assert.Contains("page_seconds", (await Assert.ThrowsAsync<InvalidRequestException>(() => service.GetPageAsync(new ViewerPageRequest(session.Id.Value, 0, 0.5, MontageKind.Referential, null, null, null, caller), ct))).Message, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The relay process is killed mid-stream and restarted; storage must hold every sample exactly once.</summary>
public sealed class RelayCrashResumeTests(AzuriteFixture azurite) : IDisposable
{
    private const int Seconds = 20;
    private const int Rate = 250;
    private readonly string _spool = Directory.CreateTempSubdirectory("relay-crash-").FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    [Fact]
    public async Task Relay_KilledMidStreamAndRestarted_StoresEverySampleExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(options);
        await clients.EnsureCreatedAsync(ct);
        var catalog = new SessionCatalog(clients);
        var patient = PatientPseudonym.New();

        // First run: kill it (SIGKILL, no chance to clean up) once a few chunks have reached storage.
        using (var first = StartRelay(options, patient))
        {
            var progressed = await WaitAsync(async () =>
            {
                var page = await catalog.QueryAsync(new SessionQuery(), ct);
                return page.Sessions.Count == 1 && page.Sessions[0].SampleCount >= 4 * Rate;
            }, first.Process, ct);
            Assert.True(progressed, "the relay stored no data before the deadline:\n" + first.Output);
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync(ct);
        }

        var interrupted = Assert.Single((await catalog.QueryAsync(new SessionQuery(), ct)).Sessions);
        Assert.Equal(SessionStatus.Recording, interrupted.Status);
        Assert.True(interrupted.SampleCount < Seconds * Rate, "the relay finished before it was killed; the test proves nothing");
        Assert.True(File.Exists(Path.Combine(_spool, "state.json")), "the killed relay left no spool state to resume from");

        // Second run with the same command: resumes the same session and completes it.
        using (var second = StartRelay(options, patient))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await second.Process.WaitForExitAsync(timeout.Token);
            Assert.True(second.Process.ExitCode == 0, "relay failed on resume:\n" + second.Output);
            Assert.Contains("Resuming session " + interrupted.Id, second.Output, StringComparison.Ordinal);
        }

        var session = Assert.Single((await catalog.QueryAsync(new SessionQuery(), ct)).Sessions);
        Assert.Equal(interrupted.Id, session.Id);
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Equal(Seconds * Rate, session.SampleCount);

        var store = new SignalStore(clients);
        Assert.Equal(Enumerable.Range(0, Seconds).Select(i => (long)i), await store.ListChunkSequencesAsync(session.Id, ct));

        var truth = new SimulatedAmplifier(SimulatorOptions());
        var window = await new SignalWindowReader(store).ReadAsync(session, 0, Seconds * Rate, Enumerable.Range(0, 8).ToArray(), ct);
        for (var c = 0; c < 8; c++)
        {
            for (var i = 0; i < Seconds * Rate; i++)
            {
                Assert.Equal((float)truth.Sample(c, i), (float)window.Data[c][i]);
            }
        }

        Assert.Equal(truth.EventsBetween(0, Seconds * Rate), window.Events);
        Assert.Equal(window.Events.Count, session.EventCount);
        Assert.False(File.Exists(Path.Combine(_spool, "state.json")));
    }

    private static SimulatorOptions SimulatorOptions() => new() { ChannelCount = 8, SamplingRateHz = Rate, Seed = 99 };

    private RelayProcess StartRelay(StorageOptions storage, PatientPseudonym patient) => RelayProcess.Start(storage,
    [
        "record", "--spool", _spool, "--duration", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--speed", "6", "--patient", patient.Value, "--channels", "8", "--rate", Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--seed", "99", "--storage", storage.ConnectionString!,
    ]);

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, Process process, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20, ct); // polling storage for progress, not waiting for time to pass
        }

        return false;
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Importing a real EDF+ recording into Azurite — through the importer and through the relay's <c>import</c> command —
/// gives a completed session with the file's own start time and samples; a refused or interrupted import leaves no session.
/// </summary>
public sealed class RecordingImportTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly string EyesClosed = RepositoryPaths.EegMmiDb("S001R02.edf");
    private readonly string _dir = Directory.CreateTempSubdirectory("import-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RealRecording_IsStoredWithItsOwnClock_AndReadsBackAsTheFileSays()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var importer = new RecordingImporter(new SessionIngestService(catalog, new SignalStore(clients)));
        var patient = PatientPseudonym.New();
        var id = SessionId.New();

        using (var source = EdfSessionSource.Open(EyesClosed))
        {
            var imported = await importer.ImportAsync(source, id, patient, "eyes closed, resting", cancellationToken: Ct);
            Assert.False(imported.AlreadyPresent);
        }

        var session = Assert.IsType<RecordingSession>(await catalog.GetAsync(id, Ct));
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Equal(new DateTimeOffset(2009, 8, 12, 16, 15, 0, TimeSpan.Zero), session.StartTime);
        Assert.Equal(60 * 160, session.SampleCount);
        Assert.Equal(1, session.EventCount);
        Assert.Equal(patient, session.Patient);
        Assert.Equal("EDF+ file", session.DeviceModel);

        using var reader = EdfReader.Open(EyesClosed);
        var oz = session.Channels.ToList().FindIndex(c => c.Name == "Oz");
        var window = await new SignalWindowReader(new SignalStore(clients)).ReadAsync(session, 0, (int)session.SampleCount, [oz], Ct);
        Assert.Equal(reader.ReadPhysical(reader.Header.Signals.ToList().FindIndex(s => s.Label == "Oz.."), 0, 60).Select(v => (double)(float)v), window.Data[0]);
        Assert.Equal("T0", Assert.Single(window.Events).Label);

        // The same import again stores nothing twice.
        using (var again = EdfSessionSource.Open(EyesClosed))
        {
            Assert.True((await importer.ImportAsync(again, id, patient, "eyes closed, resting", cancellationToken: Ct)).AlreadyPresent);
        }
    }

    [Fact]
    public async Task InterruptedImport_LeavesNoSession_AndRepeatingItCompletes()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var catalog = new SessionCatalog(clients);
        var importer = new RecordingImporter(new SessionIngestService(catalog, new SignalStore(clients)));
        var id = SessionId.New();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stored = new Callback(p =>
        {
            if (p > 0.3)
            {
                stop.Cancel(); // the worker dies a third of the way in
            }
        });

        using (var source = EdfSessionSource.Open(EyesClosed))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.ImportAsync(source, id, PatientPseudonym.New(), null, stored, stop.Token));
        }

        Assert.Null(await catalog.GetAsync(id, Ct));
        Assert.NotEmpty(await new SignalStore(clients).ListChunkSequencesAsync(id, Ct)); // chunks were written, but no session shows them

        using (var source = EdfSessionSource.Open(EyesClosed))
        {
            var imported = await importer.ImportAsync(source, id, PatientPseudonym.New(), null, cancellationToken: Ct);
            Assert.Equal(9600, imported.Session.SampleCount);
            Assert.Equal(SessionStatus.Completed, imported.Session.Status);
        }
    }

    [Fact]
    public async Task RelayImportCommand_ImportsOnce_AndRefusesBadInputInOneLine()
    {
        var options = azurite.IsolatedOptions();
        var environment = AzuriteFixture.ToEnvironment(options);
        const string Patient = "psn_abcdefghijklmnop";

        var (exit, output) = await RunAsync(environment, "import", "--file", EyesClosed, "--patient", Patient, "--description", "eyes closed");
        Assert.True(exit == 0, output);
        Assert.Contains("Imported S001R02.edf (EDF+) as ses_", output, StringComparison.Ordinal);
        Assert.Contains("64 channel(s) at 160 Hz, 60 s from 2009-08-12 16:15:00", output, StringComparison.Ordinal);

        var id = SessionId.Derived($"import\n{Patient}\n{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(EyesClosed, Ct)))}");
        var session = await new SessionCatalog(StorageServiceCollectionExtensions.CreateClients(options)).GetAsync(id, Ct);
        Assert.Equal(new DateTimeOffset(2009, 8, 12, 16, 15, 0, TimeSpan.Zero), session?.StartTime);

        (exit, output) = await RunAsync(environment, "import", "--file", EyesClosed, "--patient", Patient);
        Assert.Equal(0, exit);
        Assert.Contains("Already imported S001R02.edf (EDF+) as " + id.Value, output, StringComparison.Ordinal);

        (exit, output) = await RunAsync(environment, "import", "--file", EyesClosed);
        Assert.Equal(64, exit);
        Assert.Contains("--patient is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        (exit, output) = await RunAsync(environment, "import", "--file", EyesClosed, "--patient", "John Smith");
        Assert.Equal(64, exit);
        Assert.Contains("is not a pseudonym", output, StringComparison.Ordinal);

        var damaged = Path.Combine(_dir, "damaged.edf");
        await File.WriteAllBytesAsync(damaged, DamagedEdf.LineEndingsConverted(await File.ReadAllBytesAsync(EyesClosed, Ct)), Ct);
        (exit, output) = await RunAsync(environment, "import", "--file", damaged, "--patient", Patient);
        Assert.Equal(65, exit);
        Assert.Contains("nothing was stored", output, StringComparison.Ordinal);
        Assert.Contains("outside their signal's digital range", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        var damagedId = SessionId.Derived($"import\n{Patient}\n{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(damaged, Ct)))}");
        Assert.Null(await new SessionCatalog(StorageServiceCollectionExtensions.CreateClients(options)).GetAsync(damagedId, Ct));
    }

    private sealed class Callback(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + errors);
    }
}

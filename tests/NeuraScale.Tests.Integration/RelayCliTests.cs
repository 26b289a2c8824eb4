using System.Diagnostics;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The relay's command line on bad input: one line naming what to fix, exit code 78, no stack trace.</summary>
public sealed class RelayCliTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MissingPatient_IsOneLineNamingTheOption()
    {
        var (exit, errors) = await RunAsync("record", "--storage", azurite.ConnectionString, "--duration", "1");

        Assert.Equal(78, exit);
        Assert.Contains("--patient", errors, StringComparison.Ordinal);
        Assert.Contains("psn_", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DamagedEdf_IsRefusedBeforeAnythingIsRecorded_SayingWhatIsWrong()
    {
        var damaged = DamagedEdf.LineEndingsConverted(await File.ReadAllBytesAsync(RepositoryPaths.EegMmiDb("S001R02.edf"), Ct));
        var path = Path.Combine(Directory.CreateTempSubdirectory("relay-cli-").FullName, "damaged.edf");
        await File.WriteAllBytesAsync(path, damaged, Ct);

        var (exit, errors) = await RunAsync("record", "--storage", azurite.ConnectionString, "--patient", "psn_abcdefghijklmnop", "--driver", "EdfReplay", "--edf", path, "--spool", Path.GetDirectoryName(path)!);

        Assert.Equal(78, exit);
        Assert.Contains("outside their signal's digital range", errors, StringComparison.Ordinal);
        Assert.Contains("damaged", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Errors)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, errors + await output);
    }
}

using System.Diagnostics;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The relay's and the run command's command lines on bad input: one line naming what to fix, no stack trace.</summary>
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

    [Theory]
    [InlineData("--channels", "900", "--channels must be 1–64")]
    [InlineData("--rate", "250.5", "--rate must be a whole number of Hz")]
    [InlineData("--port", "70000", "--port must be 1–65535")]
    [InlineData("--demo-seconds", "0", "--demo-seconds must be 1–3600")]
    public async Task RunCommand_BadFlag_IsOneLineBeforeAnythingStarts(string flag, string value, string expected)
    {
        var (exit, errors) = await RunProgramAsync("functions/NeuraScale.LocalHost", "NeuraScale.LocalHost", flag, value);

        Assert.Equal(64, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting Azurite", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lab 1", "Control:RelayId (--relay-id) must be 3–40 lowercase letters, digits or hyphens")]
    [InlineData("", "Control:RelayId (--relay-id) is required")]
    public async Task Serve_WithABadRelayId_IsOneLineNamingTheFix_Exit78(string relayId, string expected)
    {
        var (exit, errors) = await RunAsync("serve", "--relay-id", relayId, "--storage", azurite.ConnectionString);

        Assert.Equal(78, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.StartsWith("Cannot serve:", errors.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventHubsSink_WithoutANamespace_IsOneLineNamingTheSetting()
    {
        var spool = Directory.CreateTempSubdirectory("relay-cli-").FullName;
        var (exit, errors) = await RunProgramAsync("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay", new Dictionary<string, string> { ["NEURASCALE_Sink__Kind"] = "EventHubs" },
            "record", "--storage", azurite.ConnectionString, "--patient", "psn_abcdefghijklmnop", "--duration", "1", "--spool", spool);

        Assert.Equal(78, exit);
        Assert.Contains("EventHubs:FullyQualifiedNamespace (e.g. myhub.servicebus.windows.net) or EventHubs:ConnectionString is required", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(spool, "*", SearchOption.AllDirectories)); // refused before recording anything
    }

    private static Task<(int Exit, string Errors)> RunAsync(params string[] args) =>
        RunProgramAsync("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay", args);

    private static Task<(int Exit, string Errors)> RunProgramAsync(string project, string assembly, params string[] args) =>
        RunProgramAsync(project, assembly, new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Errors)> RunProgramAsync(string project, string assembly, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(RepositoryPaths.BuiltProgram(project, assembly));
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

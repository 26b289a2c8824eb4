using System.Diagnostics;
using System.Globalization;
using NeuraScale.Testing;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// The load harness (<c>dotnet run -c Release --project tests/NeuraScale.Benchmarks -- load …</c>) in a short smoke run:
/// it starts its own Azurite, our built server and the bare SDK server as processes, drives 20 open-loop clients and
/// 2 closed-loop workers for 3 s each, and reports every row — the full runs are benchmarks (docs/benchmarks.md), this
/// keeps the harness itself working.
/// </summary>
public sealed class LoadHarnessSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ShortRun_ReportsEveryServer_WithAnswersAndNoErrors()
    {
        var harness = RepositoryPaths.BuiltProgram("tests/NeuraScale.Benchmarks", "NeuraScale.Benchmarks");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { harness, "load", "20", "2", "3" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"the harness exited with {process.ExitCode}: {await stderr}");

        var rows = text.Split('\n').Where(l => l.StartsWith("| NeuraScale", StringComparison.Ordinal) || l.StartsWith("| bare SDK", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray()).ToArray();
        var openLoop = rows.Where(r => r.Length > 12).ToArray();
        var closedLoop = rows.Where(r => r.Length <= 12).ToArray();
        Assert.Equal(2, openLoop.Length);
        Assert.Equal(2, closedLoop.Length);
        foreach (var row in openLoop)
        {
            Assert.Equal("20", row[2]);
            Assert.True(double.Parse(row[3], CultureInfo.InvariantCulture) > 10, $"{row[1]}: {row[3]} answers/s from 20 clients calling once a second");
            Assert.Equal("0 (0)", row[9]); // errors, over the run and after the ramp
        }

        foreach (var row in closedLoop)
        {
            Assert.Equal("2", row[2]);
            Assert.True(double.Parse(row[3], CultureInfo.InvariantCulture) > 0, $"{row[1]}: no calls answered in the closed loop");
            Assert.Equal("0", row[7]); // errors
        }
    }
}

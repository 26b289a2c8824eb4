using System.Diagnostics;
using System.Text.Json;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

/// <summary>The Bicep builds and lints clean offline, and says what the architecture says.</summary>
public class InfraTests
{
    private static string Bicep()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        Assert.True(File.Exists(bicep), $"Bicep CLI not restored at {bicep}; restore tests/NeuraScale.Tests.Unit (PackageDownload).");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }
        return bicep;
    }

    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Bicep()) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepositoryPaths.Root, "infra") };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }

    [Fact]
    public void MainBicep_LintsWithoutWarnings()
    {
        var (exit, output, errors) = Run("lint", "main.bicep");

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("Warning", output + errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MainBicep_Builds_AKeylessFlexConsumptionMcpServer()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(template);
        var text = JsonSerializer.Serialize(json.RootElement); // compact: no whitespace between tokens

        Assert.Contains("\"allowSharedKeyAccess\":false", text, StringComparison.Ordinal);
        Assert.Contains("\"allowBlobPublicAccess\":false", text, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"FC1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"runtimeName\":{\"value\":\"custom\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"AzureWebJobsFeatureFlags\":\"EnableMcpCustomHandlerPreview\"", text, StringComparison.Ordinal);
        Assert.Contains("NEURASCALE_Storage__BlobServiceUri", text, StringComparison.Ordinal);
        // The job app: isolated worker, identity-based queue connection, the jobs queue and its poison queue.
        Assert.Contains("\"runtimeName\":{\"value\":\"dotnet-isolated\"}", text, StringComparison.Ordinal);
        Assert.Contains("JobsQueue__credential", text, StringComparison.Ordinal);
        Assert.Contains("jobs-poison", text, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureYaml_PointsAtTheInfraAndTheMcpProject()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        Assert.Contains("project: ./functions/NeuraScale.Jobs", yaml, StringComparison.Ordinal);
        Assert.Contains("path: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("project: ./functions/NeuraScale.Mcp", yaml, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, "functions", "NeuraScale.Mcp")));
        Assert.Contains("host: function", yaml, StringComparison.Ordinal);
    }
}

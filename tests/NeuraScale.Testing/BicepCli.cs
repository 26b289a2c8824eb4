using System.Diagnostics;

namespace NeuraScale.Testing;

/// <summary>The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64), run in infra/.</summary>
public static class BicepCli
{
    public static string Path
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var bicep = System.IO.Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
            if (!File.Exists(bicep))
            {
                throw new InvalidOperationException($"Bicep CLI not restored at {bicep}; restore tests/NeuraScale.Tests.Unit (PackageDownload).");
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
            }

            return bicep;
        }
    }

    public static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = System.IO.Path.Combine(RepositoryPaths.Root, "infra") };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }

    /// <summary>infra/main.bicep compiled to its ARM template.</summary>
    public static string MainTemplate()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        return exit == 0 ? template : throw new InvalidOperationException("bicep build main.bicep failed: " + errors);
    }
}

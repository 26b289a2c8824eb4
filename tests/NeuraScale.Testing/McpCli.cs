using System.Diagnostics;
using NeuraScale.Storage;

namespace NeuraScale.Testing;

/// <summary>Runs the built server binary's administrative commands (<c>keys …</c>, <c>audit verify</c>) against test storage.</summary>
public static class McpCli
{
    public static Task<(int Exit, string Output, string Errors)> RunAsync(StorageOptions storage, string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp"), AzuriteFixture.ToEnvironment(storage), args, cancellationToken);

    /// <summary>A given build of the server (e.g. the published output) with exactly these environment variables added, in the Production environment.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string dll, IEnumerable<KeyValuePair<string, string?>> environment, string[] args, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, errors);
    }
}

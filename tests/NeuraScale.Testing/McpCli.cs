using System.Diagnostics;
using NeuraScale.Storage;

namespace NeuraScale.Testing;

/// <summary>Runs the built server binary's administrative commands (<c>keys …</c>, <c>audit verify</c>) against test storage.</summary>
public static class McpCli
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(StorageOptions storage, string[] args, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in AzuriteFixture.ToEnvironment(storage))
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

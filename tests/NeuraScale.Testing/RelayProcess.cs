using System.Diagnostics;
using System.Text;
using NeuraScale.Storage;

namespace NeuraScale.Testing;

/// <summary>
/// The built edge relay as its own process (any of its commands), with the test storage's settings as environment
/// variables; its output is kept for failure messages; disposing kills it if it still runs (as SIGKILL would).
/// </summary>
public sealed class RelayProcess : IDisposable
{
    private readonly StringBuilder _output = new();

    private RelayProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static RelayProcess Start(StorageOptions storage, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (name, value) in AzuriteFixture.ToEnvironment(storage).Concat(environment ?? new Dictionary<string, string?>()))
        {
            start.Environment[name] = value;
        }

        return new RelayProcess(Process.Start(start)!);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}

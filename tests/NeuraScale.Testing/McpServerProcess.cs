using System.Diagnostics;
using System.Globalization;
using System.Text;
using NeuraScale.LocalHost;
using NeuraScale.Storage;

namespace NeuraScale.Testing;

/// <summary>
/// The built MCP server as its own process, as one instance of a scaled-out app: the test storage's settings as
/// environment variables (Production environment), a free loopback port, started and waited for until <c>/health</c>
/// answers, and stopped with SIGTERM so it shuts down as the Functions host would stop it.
/// </summary>
public sealed class McpServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private McpServerProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        _process.ErrorDataReceived += (_, e) => { lock (_errors) { _errors.AppendLine(e.Data); } };
        _process.OutputDataReceived += (_, e) => { lock (_errors) { _output.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public Uri Endpoint { get; }

    /// <summary>What the server has written to standard output so far (its console log).</summary>
    public string Output
    {
        get
        {
            lock (_errors)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The server's process id (for sampling its memory and CPU in benchmarks).</summary>
    public int ProcessId => _process.Id;

    public static Task<McpServerProcess> StartAsync(StorageOptions storage, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        StartAsync(
            RepositoryPaths.BuiltProgram("functions/NeuraScale.Mcp", "NeuraScale.Mcp"),
            AzuriteFixture.ToEnvironment(storage).Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))),
            cancellationToken);

    /// <summary>A given build of the server (e.g. the published output) with exactly the given environment variables.</summary>
    public static Task<McpServerProcess> StartAsync(string dll, IEnumerable<KeyValuePair<string, string?>> environment, CancellationToken cancellationToken) =>
        StartAsync(dll, [], environment, cancellationToken);

    /// <summary>As above, with command-line arguments after the DLL (e.g. a benchmark program's server mode).</summary>
    public static async Task<McpServerProcess> StartAsync(string dll, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string?>> environment, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var port = LoopbackPorts.Free(1)[0];
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("NEURASCALE_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new McpServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/mcp"));
        await server.WaitUntilHealthyAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>SIGTERM, then up to 30 s for a clean shutdown (queued audit entries committed, head checkpointed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "/health"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false); // waiting for the process to bind its port
        }

        string errors;
        lock (_errors)
        {
            errors = _errors.ToString();
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        throw new InvalidOperationException($"The MCP server process did not become healthy. Errors:\n{errors}");
    }
}

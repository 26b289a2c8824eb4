using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NeuraScale.LocalHost;

/// <summary>PEM files of the certificate Azurite serves HTTPS with.</summary>
public sealed record AzuriteTls(string CertificatePemPath, string KeyPemPath);

/// <summary>
/// Azurite (Blob, Queue, Table), as pinned in the repository's package.json, started on free loopback ports with a
/// throw-away data folder, and stopped (folder deleted) on dispose. Used by the run command and the test fixtures.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";

    // Azurite's well-known development key: public, documented, and accepted only by the emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _dataDirectory;

    private AzuriteProcess(Process process, string dataDirectory, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The emulator's process id (benchmarks sample its CPU).</summary>
    public int ProcessId => _process.Id;

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>http, or https when started with TLS.</summary>
    public string Scheme { get; private init; } = "http";

    /// <summary>Connection string for this instance (all three services).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol={Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={ServiceUri(BlobPort)};QueueEndpoint={ServiceUri(QueuePort)};TableEndpoint={ServiceUri(TablePort)};";

    /// <summary>A service's URI as an app addresses it by URI (path-style: the account is the first segment).</summary>
    public Uri ServiceUri(int port) => new($"{Scheme}://127.0.0.1:{port}/{AccountName}");

    /// <summary>Starts Azurite and waits until all three services accept connections.</summary>
    public static Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(CancellationToken)"/>; with <paramref name="tls"/>, over HTTPS with that certificate and
    /// accepting OAuth bearer tokens (Azurite's "basic" check: issuer, audience, lifetime), as Azure storage is used
    /// with a managed identity.
    /// </summary>
    public static Task<AzuriteProcess> StartAsync(AzuriteTls? tls, CancellationToken cancellationToken = default) =>
        StartAsync(tls, ownSession: false, cancellationToken);

    /// <summary>
    /// As above; with <paramref name="ownSession"/> the emulator runs in a session of its own (setsid), so a Ctrl+C in
    /// the terminal reaches only the program that started it, which stops it last — after the relays have flushed
    /// their spools into it. For the local stack; tests keep it in their process group so an interrupted run takes it along.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(AzuriteTls? tls, bool ownSession, CancellationToken cancellationToken = default)
    {
        var script = FindAzuriteScript();
        var dataDirectory = Directory.CreateTempSubdirectory("neurascale-azurite-").FullName;
        var ports = LoopbackPorts.Free(3);
        var detach = ownSession && File.Exists("/usr/bin/setsid");
        var start = new ProcessStartInfo(detach ? "/usr/bin/setsid" : "node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (detach)
        {
            start.ArgumentList.Add("node"); // setsid execs node in place (the child is no group leader, so it does not fork)
        }

        // NEURASCALE_AZURITE_IN_MEMORY=1 (benchmarks that write large catalogs): nothing on disk, so Azurite's periodic
        // save of the whole table store does not slow every write as the tables grow. Data is lost when it stops.
        var inMemory = Environment.GetEnvironmentVariable("NEURASCALE_AZURITE_IN_MEMORY") == "1";
        foreach (var arg in new[]
                 {
                     script, "--silent", inMemory ? "--inMemoryPersistence" : "--location", inMemory ? "--loose" : dataDirectory,
                     "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--disableTelemetry",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (tls is not null)
        {
            foreach (var arg in new[] { "--cert", tls.CertificatePemPath, "--key", tls.KeyPemPath, "--oauth", "basic" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node to run Azurite.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, dataDirectory, ports[0], ports[1], ports[2]) { Scheme = tls is null ? "http" : "https" };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            foreach (var port in ports)
            {
                await WaitForPortAsync(port, process, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            throw new InvalidOperationException($"Azurite did not start ({script}). Run 'npm ci' in the repository root. Output:\n{log}", ex);
        }

        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; nothing depends on it.
        }
    }

    /// <summary>node_modules/azurite of the repository this code was built from (or NEURASCALE_AZURITE_SCRIPT).</summary>
    private static string FindAzuriteScript()
    {
        if (Environment.GetEnvironmentVariable("NEURASCALE_AZURITE_SCRIPT") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Azurite is not installed: run 'npm ci' in the repository root (package.json pins it).");
    }

    private static async Task WaitForPortAsync(int port, Process process, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

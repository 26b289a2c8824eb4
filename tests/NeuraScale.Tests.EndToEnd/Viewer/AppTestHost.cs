using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using NeuraScale.Testing;
using PuppeteerSharp;

namespace NeuraScale.Tests.EndToEnd.Viewer;

/// <summary>
/// Debian's headless Chromium showing <c>Viewer/host/host.html</c>: an MCP Apps host made of the extension's own
/// AppBridge (bundled from npm with esbuild on first use), whose MCP client is the official C# SDK client given here —
/// so the app under test runs in a sandboxed frame, under the resource's content security policy, and every call it
/// makes goes through the real server with the test's API key.
/// </summary>
public sealed class AppTestHost : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> HostBundle = new(BundleAsync);
    private static readonly string HostDirectory = Path.Combine(RepositoryPaths.Root, "tests", "NeuraScale.Tests.EndToEnd", "Viewer", "host");
    private readonly IBrowser _browser;

    private AppTestHost(IBrowser browser, IPage page)
    {
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions of the host page and the app (a CSP violation lands here too).</summary>
    public List<string> Errors { get; } = [];

    public static async Task<AppTestHost> StartAsync(McpClient client, CancellationToken cancellationToken)
    {
        var bundle = await HostBundle.Value.WaitAsync(cancellationToken);
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // No user namespaces in CI containers; one device pixel per CSS pixel so screenshots match the layout.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--hide-scrollbars"],
            DefaultViewport = new ViewPortOptions { Width = 1240, Height = 1000, DeviceScaleFactor = 1 },
        });
        var page = await browser.NewPageAsync();
        var host = new AppTestHost(browser, page);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                lock (host.Errors)
                {
                    host.Errors.Add(e.Message.Text);
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (host.Errors)
            {
                host.Errors.Add(e.Message);
            }
        };

        await page.ExposeFunctionAsync("mcpListTools", async () =>
            JsonSerializer.Serialize((await client.ListToolsAsync(cancellationToken: cancellationToken)).Select(t => t.ProtocolTool).ToArray(), McpJsonUtilities.DefaultOptions));
        await page.ExposeFunctionAsync("mcpReadResource", async (string uri) =>
            JsonSerializer.Serialize(await client.ReadResourceAsync(uri, cancellationToken: cancellationToken), McpJsonUtilities.DefaultOptions));
        await page.ExposeFunctionAsync("mcpCallTool", async (string name, string argumentsJson) =>
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson);
            var result = await client.CallToolAsync(name, arguments, cancellationToken: cancellationToken);
            return JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions);
        });
        await page.SetContentAsync(await File.ReadAllTextAsync(Path.Combine(HostDirectory, "host.html"), cancellationToken));
        await page.AddScriptTagAsync(new AddTagOptions { Content = bundle });
        return host;
    }

    /// <summary>Does what a chat client does when the model calls <paramref name="tool"/>: renders its app and hands it the call.</summary>
    /// <param name="textOnly">Hand the app only the result's text, as a host that drops structured content would.</param>
    public async Task<string> OpenAppAsync(string tool, object arguments, int width = 1200, bool textOnly = false) =>
        await Page.EvaluateFunctionAsync<string>("(t, a, w, textOnly) => openApp(t, a, { width: w, textOnly })", tool, arguments, width, textOnly);

    /// <summary>The app's frame (the host page's only child frame; it exists once <see cref="OpenAppAsync"/> returned).</summary>
    public IFrame AppFrame =>
        Page.Frames.FirstOrDefault(f => f != Page.MainFrame) ?? throw new InvalidOperationException("The host page shows no app frame.");

    /// <summary>Saves a picture of the app's frame as the host shows it.</summary>
    public async Task ScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var frame = await Page.QuerySelectorAsync("iframe") ?? throw new InvalidOperationException("No app frame to photograph.");
        await frame.ScreenshotAsync(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }

    private static string ChromiumPath() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("No Chromium found; ./scripts/install-references installs Debian's chromium.");

    private static async Task<string> BundleAsync()
    {
        var esbuild = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "esbuild");
        if (!File.Exists(esbuild))
        {
            throw new InvalidOperationException("esbuild is not installed; run npm ci in the repository root.");
        }

        var output = Path.Combine(Path.GetTempPath(), $"neurascale-app-host-{Environment.ProcessId}.js");
        var start = new ProcessStartInfo(esbuild, [Path.Combine(HostDirectory, "host.js"), "--bundle", "--format=iife", "--platform=browser", "--log-level=warning", "--outfile=" + output])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("esbuild could not bundle the test host: " + errors);
        }

        var bundle = await File.ReadAllTextAsync(output);
        File.Delete(output);
        return bundle;
    }
}

using System.CommandLine;
using Microsoft.Extensions.Options;
using NeuraScale.Mcp.Servers;

namespace NeuraScale.Mcp.Hosting;

/// <summary>
/// The server binary's command line: serve (HTTP by default, or <c>--stdio</c> with <c>--server</c> choosing which
/// server), <c>keys …</c> and <c>audit verify</c>. Tokens it does not know (e.g. <c>--urls</c>) go to the web host.
/// </summary>
public static class McpCommandLine
{
    /// <summary>Exit code of a start or command refused for its configuration (sysexits' EX_CONFIG).</summary>
    public const int ConfigurationError = 78;

    /// <summary>
    /// Parses and runs a command. Configuration validated on the way (options, the stdio key) is reported in one line
    /// that says what to set — on stderr, without a stack trace — for the server and the administrative commands alike.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await Create(output).Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("Cannot start; fix the configuration: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return ConfigurationError;
        }
        catch (ServerStartException ex)
        {
            await error.WriteLineAsync("Cannot start: " + ex.Message).ConfigureAwait(false);
            return ConfigurationError;
        }
    }

    public static RootCommand Create(TextWriter output)
    {
        var stdio = new Option<bool>("--stdio") { Description = "Serve over stdio (for Claude Desktop and other local clients) instead of HTTP; authenticate with NEURASCALE_API_KEY." };
        var server = new Option<string>("--server")
        {
            Description = "With --stdio: which server to be — all (default: every tool), " + string.Join(", ", McpServers.Each.Select(s => s.Key)) + ". Over HTTP every server has its own route.",
            DefaultValueFactory = _ => McpServers.Combined.Key,
        };
        server.AcceptOnlyFromAmong([.. McpServers.All.Select(s => s.Key)]);
        server.Validators.Add(result =>
        {
            if (!result.Implicit && result.GetValue(stdio) is false)
            {
                result.AddError($"--server applies to --stdio. Over HTTP every server is served on its own route: {string.Join(", ", McpServers.All.Select(s => s.Route))}.");
            }
        });

        var root = new RootCommand("NeuraScale MCP server: neural data, analysis, device control and clinical tools over Streamable HTTP (stateless) or stdio.")
        {
            stdio,
            server,
            KeysCommand.Create(output),
            AuditCommand.Create(output),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (parse, cancellationToken) =>
        {
            var hostArgs = parse.UnmatchedTokens.ToArray();
            if (parse.GetValue(stdio))
            {
                await NeuraScaleMcpServer.RunStdioAsync(hostArgs, McpServers.Find(parse.GetValue(server)!)!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var app = NeuraScaleMcpServer.CreateWebApplication(hostArgs);
                app.Services.GetRequiredService<IStartupValidator>().Validate(); // before the host would log it with a stack trace
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return root;
    }
}

/// <summary>The server cannot start as configured; the message says what to set.</summary>
public sealed class ServerStartException(string message) : Exception(message);

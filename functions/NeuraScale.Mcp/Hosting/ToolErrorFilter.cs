using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Formats;
using NeuraScale.Mcp.NeuralData;
using NeuraScale.Mcp.Tools;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Mcp.Hosting;

/// <summary>
/// Turns exceptions from a tool into tool error results a model can act on. Argument and data errors carry their
/// message; anything unexpected is logged and reported with a reference id only — no stack trace leaves the server.
/// </summary>
internal static partial class ToolErrorFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken).ConfigureAwait(false);
            }
            catch (ToolArgumentException ex)
            {
                return ToolResults.Error(ex.Message);
            }
            catch (CorruptChunkException ex)
            {
                return ToolResults.Error($"{ex.Message} The data was not served. Other windows of the session may still be readable; report the session id to an administrator.");
            }
            catch (MissingChunkException ex)
            {
                return ToolResults.Error(ex.Message);
            }
            catch (System.Text.Json.JsonException)
            {
                return ToolResults.Error($"Invalid arguments for {context.Params?.Name}: {ArgumentTypes.Describe(context.MatchedPrimitive as McpServerTool, context.Params?.Arguments)}");
            }
            catch (ArgumentException ex)
            {
                // Argument binding (a required argument missing, a value of the wrong JSON type) and argument rules below the tools.
                return ToolResults.Error($"Invalid arguments for {context.Params?.Name}: {ex.Message} See the tool's input schema for what is required and allowed.");
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or McpException))
            {
                var reference = Guid.NewGuid().ToString("N")[..12];
                var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger("NeuraScale.Mcp.Tools");
                if (logger is not null)
                {
                    LogToolFailed(logger, ex, context.Params?.Name, reference);
                }

                return ToolResults.Error($"The tool failed with an internal error (reference {reference}). The arguments may be fine; retry later, and report the reference if it persists.");
            }
        };

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed; reference {Reference}")]
    private static partial void LogToolFailed(ILogger logger, Exception exception, string? tool, string reference);
}

using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>
/// The one mapping from what a tool call raised to what the model reads. Arguments that do not fit the tool's input
/// schema (missing, wrong JSON type) are refused before the tool runs. Typed exceptions from the application services
/// carry their message: <see cref="InvalidRequestException"/> (the request), corrupt or missing chunks (the data).
/// Anything else is a fault of ours: logged with a reference id, and reported with that id only — no stack trace and
/// no internal message leaves the server.
/// </summary>
internal static partial class ToolErrorFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var tool = context.MatchedPrimitive as McpServerTool;
            if (ArgumentCheck.Problems(tool, context.Params?.Arguments) is { } problems)
            {
                return ToolResults.Error($"Invalid arguments for {context.Params?.Name}: {problems} See the tool's input schema for what is required and allowed.");
            }

            try
            {
                return await next(context, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidRequestException ex)
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
                // Raised by the SDK's argument binding for a value the schema check cannot see (e.g. an integer too large).
                return ToolResults.Error($"Invalid arguments for {context.Params?.Name}: {ArgumentCheck.Describe(tool, context.Params?.Arguments)}");
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

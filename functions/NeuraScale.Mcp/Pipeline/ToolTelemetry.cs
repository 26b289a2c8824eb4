using System.Diagnostics;
using System.Diagnostics.Metrics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>
/// The outermost step of every tool call: a span (<c>tools/call {tool}</c>) around everything the call does, and the
/// metrics an on-call engineer watches — calls by tool, server and outcome, and their duration. No arguments and no
/// results are recorded: they may hold PHI.
/// </summary>
internal static class ToolTelemetry
{
    public const string Name = "NeuraScale.Mcp";

    private static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("neurascale.tool.calls", "{call}", "Tool calls by tool, server and outcome.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("neurascale.tool.duration", "ms", "Time from receiving a tool call to its result, audit entry included.");

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var tool = context.Params?.Name ?? "?";
            var server = context.Server.ServerOptions.ServerInfo?.Name ?? "?";
            using var activity = Source.StartActivity("tools/call " + tool, ActivityKind.Internal);
            activity?.SetTag("mcp.tool.name", tool);
            activity?.SetTag("mcp.server.name", server);
            var started = Stopwatch.GetTimestamp();
            CallToolResult? result = null;
            try
            {
                result = await next(context, cancellationToken).ConfigureAwait(false);
                return result;
            }
            finally
            {
                var outcome = AuditFilter.Outcome(context.Items, result);
                activity?.SetTag("neurascale.outcome", outcome);
                if (outcome != "ok")
                {
                    activity?.SetStatus(ActivityStatusCode.Error, outcome);
                }

                var tags = new TagList { { "mcp.tool.name", tool }, { "mcp.server.name", server }, { "neurascale.outcome", outcome } };
                Calls.Add(1, tags);
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
            }
        };
}

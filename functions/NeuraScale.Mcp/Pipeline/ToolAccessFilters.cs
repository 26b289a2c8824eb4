using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Mcp.Security;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>The authorisation steps of the pipeline: tools/list shows what a caller may call; tools/call checks again.</summary>
internal static class ToolAccessFilters
{
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var services = context.Services!;
            var caller = services.GetRequiredService<CallerAccessor>().Resolve(context.User);
            var permissions = services.GetRequiredService<ToolPermissions>();
            result.Tools = caller is null ? [] : result.Tools.Where(t => permissions.Allows(caller, t.Name)).ToList();
            return result;
        };

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services!;
            var caller = services.GetRequiredService<CallerAccessor>().Resolve(context.User);
            var tool = context.Params?.Name ?? string.Empty;
            var permissions = services.GetRequiredService<ToolPermissions>();
            var required = permissions.For(tool);
            if (caller is null)
            {
                context.Items[AuditFilter.OutcomeKey] = "unauthenticated";
                return ToolResults.Error("Not authenticated: send an API key as 'Authorization: Bearer nsk_…' or 'X-API-Key'.");
            }

            if (required is null || context.MatchedPrimitive is null)
            {
                // Unknown anywhere, or served by another of the servers than the one this endpoint speaks for.
                context.Items[AuditFilter.OutcomeKey] = "unknown_tool";
                return ToolResults.Error($"There is no tool named '{tool}' on this server. Call tools/list for the tools you may use{(required is null ? "" : ", or use the combined endpoint /mcp, which serves every tool")}.");
            }

            if (!caller.Has(required))
            {
                context.Items[AuditFilter.OutcomeKey] = "forbidden";
                return ToolResults.Error($"Forbidden: {tool} needs the permission '{required}', which your roles ({string.Join(", ", caller.Roles.Order())}) do not grant. Ask an administrator for a role that grants it.");
            }

            var category = permissions.CategoryOf(tool);
            var decision = await services.GetRequiredService<IRateLimitStore>().AcquireAsync(caller.Id, category, cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                context.Items[AuditFilter.OutcomeKey] = "rate_limited";
                return ToolResults.Error(
                    $"Rate limit exceeded: at most {decision.Limit} {Describe(category)} calls per minute per caller. Retry after {Math.Ceiling(decision.RetryAfter.TotalSeconds):0} s.");
            }

            return await next(context, cancellationToken).ConfigureAwait(false);
        };

    private static string Describe(RateLimitCategory category) => category switch
    {
        RateLimitCategory.DataExport => "data-export",
        RateLimitCategory.DeviceControl => "device-control",
        _ => "tool",
    };
}

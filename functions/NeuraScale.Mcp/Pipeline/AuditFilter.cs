using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Mcp.Security;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>
/// The outermost step of every tool call: whatever happens inside (refused, rate-limited, failed, served), one audit
/// entry records who, which tool, which resources, the outcome and the latency. Arguments only as a keyed hash.
/// </summary>
internal static partial class AuditFilter
{
    public const string OutcomeKey = "neurascale.audit.outcome";

    private static readonly string[] ResourceArguments = ["session_id", "session_ids", "patient_id", "job_id"];

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var started = Stopwatch.GetTimestamp();
            CallToolResult? result = null;
            try
            {
                result = await next(context, cancellationToken).ConfigureAwait(false);
                return result;
            }
            finally
            {
                var services = context.Services!;
                var audit = services.GetRequiredService<IAuditLog>();
                var caller = services.GetRequiredService<CallerAccessor>().Resolve(context.User);
                var outcome = Outcome(context.Items, result);
                var arguments = context.Params?.Arguments;
                await audit.AppendAsync(
                    new AuditEntry
                    {
                        Caller = caller?.Id ?? "anonymous",
                        Action = "tools/call:" + (context.Params?.Name ?? "?"),
                        Resources = Resources(arguments),
                        Outcome = outcome,
                        LatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
                        ArgumentsHash = arguments is null ? null : audit.HashArguments(JsonSerializer.Serialize(arguments)),
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }
        };

    /// <summary>How a call ended: what a pipeline step recorded (forbidden, rate_limited, …), else failed, error or ok.</summary>
    public static string Outcome(IDictionary<string, object?> items, CallToolResult? result) =>
        items.TryGetValue(OutcomeKey, out var o) && o is string set ? set
        : result is null ? "failed"
        : result.IsError == true ? "error"
        : "ok";

    /// <summary>
    /// The ids a call names: session ids (one or a list), patient pseudonyms and job ids, and only values that are well-formed ids (a caller
    /// may put a name where a pseudonym belongs; that text must not reach the log).
    /// </summary>
    private static string[] Resources(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return [];
        }

        return ResourceArguments
            .Where(arguments.ContainsKey)
            .SelectMany(k => arguments[k].ValueKind == JsonValueKind.Array ? arguments[k].EnumerateArray().Take(16) : [arguments[k]])
            .Where(v => v.ValueKind == JsonValueKind.String)
            .Select(v => v.GetString()!.Trim())
            .Where(v => SessionId.TryParse(v, out _) || PatientPseudonym.TryParse(v, out _) || JobId().IsMatch(v))
            .ToArray();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^job_[a-z2-7]{20}$")]
    private static partial System.Text.RegularExpressions.Regex JobId();
}

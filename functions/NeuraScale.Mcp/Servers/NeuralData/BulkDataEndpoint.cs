using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Primitives;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>
/// <c>GET /data/sessions/{session_id}.npy?channels=&amp;start_time=&amp;end_time=</c>: a window of a recording as a NumPy
/// file, for clients that pull more than a model should read (get_neural_data links here when its inline cap cuts a
/// window). The same credential as the MCP endpoints and the same pipeline as a tool call: authenticated (refusals
/// audited by <see cref="AuthenticationFailureGuard"/>), the <c>neural_data.read</c> permission, the caller's patient
/// scope, the caller's rate limit, and one audit entry written before the first byte is sent.
/// </summary>
internal static partial class BulkDataEndpoint
{
    /// <summary>The audit action of a bulk read (compliance reports count it as an export of data).</summary>
    public const string Action = "bulk/read_npy";

    public static void MapNeuraScaleBulkData(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(BulkDataService.Route, ServeAsync)
            .WithMetadata(new AuthenticationAudited())
            .RequireAuthorization()
            .RequireNeuraScaleAdmission();

    private static async Task ServeAsync(HttpContext http, string session_id, BulkDataService bulk, CallerAccessor callers, IRateLimitStore limits, IAuditLog audit, ILogger<BulkDataService> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellationToken = http.RequestAborted;
        var caller = callers.Resolve(http.User);
        var resources = SessionId.TryParse(session_id, out var id) ? new[] { id.Value } : [];
        var argumentsHash = audit.HashArguments(session_id + http.Request.QueryString.Value);

        Task AuditAsync(string outcome) => audit.AppendAsync(
            new AuditEntry
            {
                Caller = caller?.Id ?? "anonymous",
                Action = Action,
                Resources = resources,
                Outcome = outcome,
                LatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
                ArgumentsHash = argumentsHash,
            },
            CancellationToken.None);

        if (caller is null || !caller.Has(Permissions.NeuralDataRead))
        {
            await AuditAsync("forbidden").ConfigureAwait(false);
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "forbidden",
                $"Reading signal data needs the permission '{Permissions.NeuralDataRead}', which your roles ({string.Join(", ", caller?.Roles.Order() ?? Enumerable.Empty<string>())}) do not grant.").ConfigureAwait(false);
            return;
        }

        var decision = await limits.AcquireAsync(caller.Id, RateLimitCategory.Default, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await AuditAsync("rate_limited").ConfigureAwait(false);
            http.Response.Headers.RetryAfter = Math.Ceiling(decision.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(http, StatusCodes.Status429TooManyRequests, "rate_limited",
                $"Rate limit exceeded: at most {decision.Limit} calls per minute per caller (tool calls and bulk reads together). Retry after {Math.Ceiling(decision.RetryAfter.TotalSeconds):0} s.").ConfigureAwait(false);
            return;
        }

        BulkWindow window;
        try
        {
            var (channels, start, end) = ParseQuery(http.Request.Query);
            window = await bulk.ResolveAsync(session_id, channels, start, end, caller, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException ex)
        {
            await AuditAsync("error").ConfigureAwait(false);
            var missing = ex.Message.Contains("does not exist", StringComparison.Ordinal);
            await RefuseAsync(http, missing ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, missing ? "not_found" : "invalid_request", ex.Message).ConfigureAwait(false);
            return;
        }

        // Audited before the first byte: a read the log cannot record is not served.
        try
        {
            await AuditAsync("ok").ConfigureAwait(false);
        }
        catch (AuditUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "5";
            await RefuseAsync(http, StatusCodes.Status503ServiceUnavailable, "audit_unavailable", ex.Message).ConfigureAwait(false);
            return;
        }

        var response = http.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = window.ContentLength;
        response.Headers.ContentDisposition = $"attachment; filename=\"{window.FileName}\"";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-NeuraScale-Channels"] = string.Join(",", window.Channels.Select(c => window.Session.Channels[c].Name));
        response.Headers["X-NeuraScale-Sampling-Rate-Hz"] = window.Session.SamplingRateHz.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-NeuraScale-Start-Time-S"] = window.StartTimeS.ToString("0.######", CultureInfo.InvariantCulture);
        response.Headers["X-NeuraScale-Unit"] = window.Session.Channels[window.Channels[0]].Unit;
        try
        {
            await bulk.WriteNpyAsync(window, response.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The length was promised; a short body must not pass for a file. Cut the connection so the client sees it.
            LogStreamFailed(logger, window.Session.Id.Value, ex.GetType().Name, ex.Message);
            await AuditAsync("failed").ConfigureAwait(false);
            http.Abort();
        }
    }

    /// <summary>channels (comma-separated names or 0-based indices), start_time and end_time (seconds); nothing else.</summary>
    private static (IReadOnlyList<string>? Channels, double? Start, double? End) ParseQuery(IQueryCollection query)
    {
        foreach (var key in query.Keys)
        {
            if (!BulkDataService.Parameters.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidRequestException($"'{key}' is not a parameter of this link; allowed: {string.Join(", ", BulkDataService.Parameters)}.");
            }
        }

        IReadOnlyList<string>? channels = Single(query, "channels") is { } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
        return (channels, Seconds(query, "start_time"), Seconds(query, "end_time"));
    }

    private static string? Single(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        return values.Count == 1 ? values[0] : throw new InvalidRequestException($"{key} is given {values.Count} times; give it once.");
    }

    private static double? Seconds(IQueryCollection query, string key) => Single(query, key) switch
    {
        null => null,
        var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) => value,
        var text => throw new InvalidRequestException($"{key} must be a number of seconds from the start of the recording, e.g. 12.5; got '{text}'."),
    };

    private static Task RefuseAsync(HttpContext http, int status, string error, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error, message }, http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk read of session {SessionId} failed after the response started ({Error}: {Detail}); the connection was cut.")]
    private static partial void LogStreamFailed(ILogger logger, string sessionId, string error, string detail);
}

using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// Runs after authentication, before authorisation, on the MCP endpoints and the bulk data route. A request that did not authenticate (no
/// credential, or a wrong, expired or revoked one) is audited (outcome <c>unauthenticated</c>; the 401 challenge
/// follows) and spends one unit of its client address's authentication-failure budget
/// (<c>Security:RateLimits:AuthenticationFailures</c> per window, shared across instances like every limit); past it,
/// the address gets 429 with Retry-After instead of another guess, audited as <c>rate_limited</c>. Authenticated
/// callers are never held back by someone else's failures from the same address.
/// </summary>
internal static class AuthenticationFailureGuard
{
    public static IApplicationBuilder UseNeuraScaleAuthenticationFailureGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true || context.GetEndpoint()?.Metadata.GetMetadata<AuthenticationAudited>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = await context.RequestServices.GetRequiredService<IRateLimitStore>()
            .AcquireAsync("address:" + address, RateLimitCategory.AuthenticationFailure, context.RequestAborted).ConfigureAwait(false);
        try
        {
            await context.RequestServices.GetRequiredService<IAuditLog>().AppendAsync(new AuditEntry
            {
                Caller = "anonymous",
                Action = "authenticate:" + context.Request.Path.Value,
                Outcome = decision.Allowed ? "unauthenticated" : "rate_limited",
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AuditUnavailableException)
        {
            // The request is refused either way and no data is served; the audit writer has logged why.
        }

        if (decision.Allowed)
        {
            await next(context).ConfigureAwait(false); // authorisation answers with the 401 challenge
            return;
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Ceiling(decision.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new
        {
            error = "too_many_failed_authentications",
            message = $"Too many requests without a valid credential from this address (at most {decision.Limit} per window). Retry after {Math.Ceiling(decision.RetryAfter.TotalSeconds):0} s with a valid API key or access token.",
        }, context.RequestAborted).ConfigureAwait(false);
    });
}

/// <summary>Endpoint metadata: a request to this endpoint without a valid credential is audited and counted against its address.</summary>
internal sealed class AuthenticationAudited;

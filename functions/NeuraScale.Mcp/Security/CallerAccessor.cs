using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Security;

/// <summary>
/// The caller of the current tool call: from the HTTP request's authenticated user, or, on stdio, from the API key
/// the process was started with.
/// </summary>
public sealed class CallerAccessor(IHttpContextAccessor http, IOptions<SecurityOptions> security, StdioIdentity stdio)
{
    public Caller? Resolve(ClaimsPrincipal? user) =>
        Caller.From(user ?? http.HttpContext?.User, security.Value) ?? Caller.From(stdio.Principal, security.Value);

    /// <summary>The current caller; throws when there is none (the endpoint's authorization should have refused).</summary>
    public Caller Current => Resolve(null) ?? throw new UnauthorizedAccessException("No authenticated caller.");
}

/// <summary>The principal of the stdio transport, set at start-up from <c>NEURASCALE_API_KEY</c>.</summary>
public sealed class StdioIdentity
{
    public ClaimsPrincipal? Principal { get; set; }
}

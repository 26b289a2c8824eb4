namespace NeuraScale.Mcp.Security;

/// <summary>HTTP-level protections of the endpoint. Section <c>Http</c>.</summary>
public sealed class HttpHygieneOptions
{
    public const string SectionName = "Http";

    /// <summary>Browser origins allowed to call the endpoint (exact, e.g. <c>https://claude.ai</c>).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Allow origins on loopback (MCP Inspector and other local tools). On for the local server; off in Azure.</summary>
    public bool AllowLoopbackOrigins { get; set; } = true;

    /// <summary>Largest request body accepted, bytes. MCP requests are small JSON documents.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Refuses requests whose Origin is not allowed (DNS-rebinding protection: a web page on another site cannot drive
/// the local server through the browser) and adds security headers to every response.
/// </summary>
public static class HttpHygiene
{
    /// <summary>
    /// The <c>Http</c> options, and host filtering limited to loopback names unless configuration says otherwise
    /// (Azure sets the app's host name), with requests that name no host refused.
    /// </summary>
    public static void AddNeuraScaleHttpHygiene(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]))
        {
            builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";
        }

        builder.Services.AddOptions<HttpHygieneOptions>().Bind(builder.Configuration.GetSection(HttpHygieneOptions.SectionName));

        // An HTTP/1.0 request may carry no Host at all; allowing that would let it past the host allow-list.
        builder.Services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowEmptyHosts = false);
    }

    public static IApplicationBuilder UseNeuraScaleHttpHygiene(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<HttpHygieneOptions>>().Value;
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";

            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && !IsAllowed(origin, options))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new
                {
                    error = "forbidden_origin",
                    message = $"Origin '{origin}' is not allowed to call this server. Allowed: {(options.AllowLoopbackOrigins ? "loopback origins, " : string.Empty)}{(options.AllowedOrigins.Length == 0 ? "no others" : string.Join(", ", options.AllowedOrigins))} (Http:AllowedOrigins).",
                }).ConfigureAwait(false);
                return;
            }

            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    public static bool IsAllowed(string origin, HttpHygieneOptions options)
    {
        if (options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return options.AllowLoopbackOrigins
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));
    }
}

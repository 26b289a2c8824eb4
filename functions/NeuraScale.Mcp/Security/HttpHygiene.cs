using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The server's public origin, e.g. <c>https://func-neurascale-mcp-x.azurewebsites.net</c> (infra sets it). Resource
    /// URIs in the Protected Resource Metadata and in 401 challenges are built on it rather than on the request,
    /// which behind the Functions host arrives over plain HTTP from loopback. Empty: the request's own scheme and host.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Take the client address and scheme from X-Forwarded-For/-Proto, only when sent from loopback (the Functions host
    /// proxying to the custom handler on the same instance). Off locally, where nothing proxies.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Where this request's client reached the server: the public origin when configured, else the request's own.</summary>
    public string BaseUrlOf(HttpRequest request) => PublicBaseUrl is { } configured
        ? configured.GetLeftPart(UriPartial.Authority)
        : $"{request.Scheme}://{request.Host}{request.PathBase}";
}

/// <summary>Start-up check of <see cref="HttpHygieneOptions"/>: a public origin is an absolute https origin (http only on loopback), with no path.</summary>
public sealed class HttpHygieneOptionsValidator : IValidateOptions<HttpHygieneOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpHygieneOptions options)
    {
        if (options.PublicBaseUrl is not { } url)
        {
            return ValidateOptionsResult.Success;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)) || url.AbsolutePath != "/" || url.Query.Length > 0)
        {
            return ValidateOptionsResult.Fail($"Http:PublicBaseUrl must be the server's public origin, e.g. https://func-neurascale-mcp-x.azurewebsites.net (https, no path); it is '{url.OriginalString}'.");
        }

        return ValidateOptionsResult.Success;
    }
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

        builder.Services.AddOptions<HttpHygieneOptions>().Bind(builder.Configuration.GetSection(HttpHygieneOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpHygieneOptions>, HttpHygieneOptionsValidator>();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            o.KnownProxies.Add(System.Net.IPAddress.Loopback);
            o.KnownProxies.Add(System.Net.IPAddress.IPv6Loopback);
            o.ForwardLimit = 1;
        });

        // An HTTP/1.0 request may carry no Host at all; allowing that would let it past the host allow-list.
        builder.Services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowEmptyHosts = false);
    }

    public static IApplicationBuilder UseNeuraScaleHttpHygiene(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HttpHygieneOptions>>().Value;
        if (options.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

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

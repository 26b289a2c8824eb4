using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Security;

/// <summary>How much work an instance takes on at once. Section <c>Http:Admission</c>.</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Http:Admission";

    /// <summary>MCP requests served at once; more wait in the queue.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests waiting for a slot; past it a request is refused at once (503 with Retry-After) instead of queueing.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 128;

    /// <summary>The Retry-After a refused request is given.</summary>
    [Range(1, 60)]
    public int RetryAfterSeconds { get; set; } = 1;
}

/// <summary>
/// Graceful degradation beyond capacity: a bounded number of MCP requests in progress and a bounded queue; a request
/// arriving when both are full gets 503 with Retry-After at once, so latency for the admitted ones stays bounded and
/// memory does not grow with the backlog (without it, past saturation every request queues, times out, and the
/// instance serves nobody). Shed before authentication (it costs nothing and names no tool call, so it is not an
/// audit entry); counted and logged at most once per 10 s. The Functions host scales out on the same signal.
/// Health probes are never shed.
/// </summary>
public static partial class Admission
{
    private const string PolicyName = "mcp";

    public static void AddNeuraScaleAdmission(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdmissionOptions>().Bind(builder.Configuration.GetSection(AdmissionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ShedCounter>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<AdmissionOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(PolicyName, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentRequests,
                    QueueLimit = options.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var services = rejected.HttpContext.RequestServices;
                var options = services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
                services.GetRequiredService<ShedCounter>().Count(options.MaxConcurrentRequests, options.QueueLimit);
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(
                    new
                    {
                        error = "overloaded",
                        message = $"This server instance is at capacity ({options.MaxConcurrentRequests} requests in progress, {options.QueueLimit} waiting). Nothing was done; retry after {options.RetryAfterSeconds} s.",
                        retry_after_seconds = options.RetryAfterSeconds,
                    },
                    cancellationToken).ConfigureAwait(false);
            };
        });
    }

    /// <summary>The policy MCP routes are mapped with.</summary>
    public static TBuilder RequireNeuraScaleAdmission<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder => endpoints.RequireRateLimiting(PolicyName);

    /// <summary>Requests shed; one warning per 10 s at most, with the count since the last.</summary>
    internal sealed partial class ShedCounter(TimeProvider time, ILogger<ShedCounter> logger)
    {
        private readonly Lock _gate = new();
        private long _since;
        private DateTimeOffset _lastLog = DateTimeOffset.MinValue;

        public void Count(int concurrent, int queue)
        {
            lock (_gate)
            {
                _since++;
                var now = time.GetUtcNow();
                if (now - _lastLog < TimeSpan.FromSeconds(10))
                {
                    return;
                }

                LogShed(logger, _since, concurrent, queue);
                _since = 0;
                _lastLog = now;
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "At capacity: {Count} request(s) refused with 503 since the last report ({Concurrent} in progress and {Queue} waiting allowed; Http:Admission).")]
        private static partial void LogShed(ILogger logger, long count, int concurrent, int queue);
    }
}

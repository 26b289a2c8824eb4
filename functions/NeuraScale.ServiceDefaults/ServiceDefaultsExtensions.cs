using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NeuraScale.ServiceDefaults;

/// <summary>
/// The defaults every NeuraScale host starts with (the MCP server, the job Function app): OpenTelemetry traces,
/// metrics and logs, exported to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with
/// Entra authentication, as infra disables local auth) and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
/// and the health-check service the hosts add their checks to.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Activity sources and meters of our own code (tool calls, jobs) start with this prefix.</summary>
    public const string TelemetryPrefix = "NeuraScale";

    public static TBuilder AddNeuraScaleDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddNeuraScaleTelemetry(serviceName);
        builder.Services.AddHealthChecks();
        return builder;
    }

    private static void AddNeuraScaleTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        // The Azure SDK emits its spans (storage calls) only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(ServiceDefaultsExtensions).Assembly.GetName().Version?.ToString(3)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + ".*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, TelemetryPrefix + ".*", "Azure.*")
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation());

        var configuration = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];

                // Application Insights with local authentication disabled takes only Entra tokens: the app's identity
                // (Monitoring Metrics Publisher) signs them.
                options.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] ?? configuration["Storage:ManagedIdentityClientId"],
                });
            });
        }
    }
}

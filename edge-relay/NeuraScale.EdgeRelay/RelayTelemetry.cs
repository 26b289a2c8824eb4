using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Storage.Streaming;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NeuraScale.EdgeRelay;

/// <summary>
/// The relay's spans leave the relay machine, so a chunk's trace runs from the relay to the catalog: its publish spans
/// (<c>NeuraScale.Relay</c>, whose context each event carries to the Capture ingest) and the Azure SDK's calls, exported
/// to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set — signed with the relay's own
/// Entra identity, as infra disables local authentication — and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set (the standard OTEL_ variables choose protocol and headers). Neither set: no telemetry pipeline at all.
/// Spans carry ids only — sessions, sequences, and patient pseudonyms where they are part of a storage URL (catalog
/// keys), as in the audit log — never a name, date of birth or record number, which the relay never has.
/// </summary>
public static class RelayTelemetry
{
    public const string ServiceName = "neurascale-edge-relay";

    public static IServiceCollection AddRelayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(appInsights) && string.IsNullOrWhiteSpace(otlp))
        {
            return services;
        }

        // The Azure SDK emits its spans (Event Hubs sends, storage calls) only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(RelayTelemetry).Assembly.GetName().Version?.ToString(3)))
            .WithTracing(tracing => tracing.AddSource(ChunkEventPublisher.Telemetry.Name, "Azure.*"));
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.UseOtlpExporter();
        }

        if (!string.IsNullOrWhiteSpace(appInsights))
        {
            var identity = configuration.GetSection(EventHubsOptions.SectionName).Get<EventHubsOptions>() ?? new EventHubsOptions();
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = appInsights;
                options.Credential = identity.Credential();
            });
        }

        return services;
    }
}

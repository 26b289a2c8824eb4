using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelContextProtocol.Protocol;
using NeuraScale.Mcp.Audit;
using NeuraScale.Mcp.Clinical;
using NeuraScale.Mcp.Exports;
using NeuraScale.Mcp.NeuralData;
using NeuraScale.Mcp.Security;
using NeuraScale.Mcp.Tools;
using NeuraScale.Processing;
using NeuraScale.Storage;

namespace NeuraScale.Mcp.Hosting;

public static class McpServerServiceCollectionExtensions
{
    /// <summary>The application services the tools use: storage, neural-data reading, options validated at start-up.</summary>
    public static IServiceCollection AddNeuraScaleServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNeuraScaleStorage(configuration);
        services.AddNeuraScaleSecurity(configuration);
        services.AddOptions<NeuralDataOptions>()
            .Bind(configuration.GetSection(NeuralDataOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<NeuralDataService>();
        services.AddNeuraScaleProcessing();
        services.AddNeuraScaleJobs(configuration);
        services.AddOptions<ExportOptions>()
            .Bind(configuration.GetSection(ExportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ExportJobs>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection("Audit"));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PatientDirectory>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    /// <summary>
    /// The MCP server and its tools. Every call passes the same pipeline: authentication (endpoint), then audit
    /// (outermost filter) → permission → rate limit → the tool with the shared error handling.
    /// </summary>
    public static IMcpServerBuilder AddNeuraScaleMcpServer(this IServiceCollection services) =>
        services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "neurascale", Title = "NeuraScale neural data", Version = ServerVersion.Current };
                options.ServerInstructions = "Tools for EEG/EMG/ECG recordings. Find sessions with query_sessions, then read samples with get_neural_data; apply_filter stores a filtered copy whose id works wherever a session id does; export_neural_data writes a file (EDF+, MAT, CSV, Parquet, FIF) and returns a download link, or a job_id to follow with get_job_status. Patients appear only as pseudonyms (psn_…).";
            })
            .WithTools<NeuralDataTools>(ToolResults.Json)
            .WithTools<SignalProcessingTools>(ToolResults.Json)
            .WithTools<AnalysisTools>(ToolResults.Json)
            .WithTools<ExportTools>(ToolResults.Json)
            .WithTools<JobTools>(ToolResults.Json)
            .WithTools<ClinicalTools>(ToolResults.Json)
            .WithTools<AuditTools>(ToolResults.Json)
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(ToolAccessFilters.ListTools)
                .AddCallToolFilter(AuditFilter.Create)
                .AddCallToolFilter(ToolAccessFilters.CallTool)
                .AddCallToolFilter(ToolErrorFilter.Create));
}

/// <summary>Reports the storage account as unhealthy when the session catalog cannot be reached.</summary>
internal sealed class StorageHealthCheck(StorageClients clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in clients.SessionsTable.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("Session catalog unreachable.");
        }
    }
}

/// <summary>The server's version, from the assembly.</summary>
public static class ServerVersion
{
    public static string Current { get; } =
        typeof(ServerVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

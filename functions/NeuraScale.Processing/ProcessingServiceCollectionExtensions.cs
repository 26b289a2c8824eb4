using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeuraScale.Processing.Analysis;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Filtering;
using NeuraScale.Processing.Importing;
using NeuraScale.Processing.Jobs;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.Patients;
using NeuraScale.Processing.Reading;

using NeuraScale.Processing.Devices;

namespace NeuraScale.Processing;

public static class ProcessingServiceCollectionExtensions
{
    /// <summary>
    /// The application services the MCP tools call — reading, filtering, analysis, exports, imports, jobs, patients — with their
    /// options validated at start-up. Needs the storage services registered (<c>AddNeuraScaleStorage</c>).
    /// </summary>
    public static IServiceCollection AddNeuraScaleApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNeuraScaleJobs(configuration);
        services.AddOptions<NeuralDataOptions>()
            .Bind(configuration.GetSection(NeuralDataOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<NeuralDataService>();
        services.AddSingleton<Viewer.ViewerPageService>();
        services.AddSingleton<BulkDataService>();
        services.AddSingleton<ApplyFilterService>();
        services.AddSingleton<AnalysisService>();
        services.AddSingleton<ExportJobs>();
        services.AddSingleton<JobService>();
        services.AddSingleton<PatientDirectory>();
        services.AddSingleton<RecordingImportService>();
        services.AddOptions<DeviceControlOptions>().Bind(configuration.GetSection(DeviceControlOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeviceControlService>();
        services.AddSingleton<Clinical.Protocols.ProtocolCatalog>();
        services.AddSingleton<Clinical.ConsentService>();
        services.AddSingleton<Clinical.SchedulingService>();
        services.AddSingleton<Clinical.Runs.ProtocolRunSteps>();
        services.AddSingleton<Reports.ConditionSegments>();
        services.AddSingleton<Reports.ReportBuilder>();
        services.AddSingleton<Reports.ReportService>();
        services.AddSingleton<Reports.ReportJobs>();
        services.AddOptions<Compliance.ComplianceOptions>().Bind(configuration.GetSection(Compliance.ComplianceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Compliance.ComplianceService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Reports.ReportJobHandler>());
        return services;
    }

    /// <summary>
    /// The job service (runner and handlers) and the work the handlers do, with options validated at start-up; with
    /// <c>Jobs:RunInProcess</c> also the in-process queue worker and housekeeping schedule (local stack, tests). In
    /// Azure the Function app's Queue trigger calls the runner.
    /// </summary>
    public static IServiceCollection AddNeuraScaleJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DerivedRecordingStore>();
        services.TryAddSingleton<SignalFilterService>();
        services.TryAddSingleton<SignalBlockReader>();
        services.TryAddSingleton<ExportService>();
        services.AddOptions<ExportOptions>()
            .Bind(configuration.GetSection(ExportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ImportOptions>()
            .Bind(configuration.GetSection(ImportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, ExportJobHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, ImportJobHandler>());
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobHousekeeping>();
        if (configuration.GetValue<bool>($"{JobOptions.SectionName}:{nameof(JobOptions.RunInProcess)}"))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, JobQueueListener>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, JobHousekeepingService>());
        }

        return services;
    }
}

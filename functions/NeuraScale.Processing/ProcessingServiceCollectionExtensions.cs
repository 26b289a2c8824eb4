using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Filtering;
using NeuraScale.Processing.Jobs;

namespace NeuraScale.Processing;

public static class ProcessingServiceCollectionExtensions
{
    /// <summary>Filtering into derived recordings and the analyses; needs the storage services registered.</summary>
    public static IServiceCollection AddNeuraScaleProcessing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DerivedRecordingStore>();
        services.AddSingleton<SignalFilterService>();
        services.AddSingleton<ExportSource>();
        services.AddSingleton<ExportService>();
        return services;
    }

    /// <summary>
    /// The job service (runner and handlers) with its options validated at start-up; with <c>Jobs:RunInProcess</c>
    /// also the in-process queue worker and housekeeping schedule (local stack, tests). In Azure the Functions Queue trigger calls the runner.
    /// </summary>
    public static IServiceCollection AddNeuraScaleJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IJobHandler, ExportJobHandler>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobHousekeeping>();
        if (configuration.GetValue<bool>($"{JobOptions.SectionName}:{nameof(JobOptions.RunInProcess)}"))
        {
            services.AddHostedService<JobQueueListener>();
            services.AddHostedService<JobHousekeepingService>();
        }

        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeuraScale.Processing.Filtering;

namespace NeuraScale.Processing;

public static class ProcessingServiceCollectionExtensions
{
    /// <summary>Filtering into derived recordings and the analyses; needs the storage services registered.</summary>
    public static IServiceCollection AddNeuraScaleProcessing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DerivedRecordingStore>();
        services.AddSingleton<SignalFilterService>();
        return services;
    }
}

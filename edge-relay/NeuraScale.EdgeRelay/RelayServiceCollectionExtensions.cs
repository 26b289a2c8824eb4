using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.EdgeRelay.Control;
using NeuraScale.EdgeRelay.Relay;
using NeuraScale.EdgeRelay.Sinks;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Storage;
using NeuraScale.Storage.Streaming;

namespace NeuraScale.EdgeRelay;

public static class RelayServiceCollectionExtensions
{
    /// <summary>
    /// The relay: the simulated amplifier (section <c>Simulator</c>), the disk spool, the Blob sink over the shared
    /// storage services, and the worker that records one session and then stops the host.
    /// </summary>
    public static IServiceCollection AddEdgeRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>()
            .Bind(configuration.GetSection(RelayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection("Simulator"));
        services.AddOptions<EdfReplayOptions>().Bind(configuration.GetSection("EdfReplay"));

        services.TryAddSingleton(TimeProvider.System);
        services.AddNeuraScaleSignalStorage(configuration);
        services.AddSingleton(CreateDriver);
        services.AddSingleton(sp => new DiskSpool(sp.GetRequiredService<IOptions<RelayOptions>>().Value.SpoolDirectory));
        services.AddChunkSink(configuration);
        services.AddSingleton<RecordingRelay>();
        services.AddHostedService<RelayWorker>();
        return services;
    }

    /// <summary>The sink of section <c>Sink</c>: Blob, or Event Hubs with the settings of section <c>EventHubs</c>, checked at start.</summary>
    public static IServiceCollection AddChunkSink(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IChunkSink)))
        {
            return services; // a host (or a test) chose its sink already
        }

        services.AddOptions<SinkOptions>().Bind(configuration.GetSection(SinkOptions.SectionName));
        services.AddOptions<EventHubsOptions>().Bind(configuration.GetSection(EventHubsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventHubsOptions>, EventHubsSettingsValidator>();
        services.AddSingleton<IChunkSink>(sp => sp.GetRequiredService<IOptions<SinkOptions>>().Value.Kind switch
        {
            SinkKind.EventHubs => new EventHubsChunkSink(
                ChunkEventPublisher.Create(
                    sp.GetRequiredService<IOptions<EventHubsOptions>>().Value,
                    sp.GetRequiredService<IOptions<EventHubsOptions>>().Value.ClaimCheck ? sp.GetRequiredService<ChunkClaimCheck>() : null),
                sp.GetRequiredService<IOptions<EventHubsOptions>>().Value.LiveMirror ? sp.GetRequiredService<StreamIngestService>() : null,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EventHubsChunkSink>>()),
            _ => ActivatorUtilities.CreateInstance<BlobChunkSink>(sp),
        });
        return services;
    }

    /// <summary>The configured driver; its constructor validates its options and names what is wrong.</summary>
    private static IAmplifierDriver CreateDriver(IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        return services.GetRequiredService<IOptions<RelayOptions>>().Value.Driver switch
        {
            AmplifierDriverKind.EdfReplay => new EdfReplayDriver(services.GetRequiredService<IOptions<EdfReplayOptions>>().Value, time),
            _ => new SimulatedAmplifier(services.GetRequiredService<IOptions<SimulatorOptions>>().Value, time),
        };
    }

    /// <summary>The relay's control-plane services: its devices, presence (registration and heartbeat) and command processor.</summary>
    public static IServiceCollection AddRelayControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControlOptions>().Bind(configuration.GetSection(ControlOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddNeuraScaleSignalStorage(configuration);
        services.AddNeuraScaleControlPlaneStorage();
        services.AddSingleton<DeviceSettingsStore>();
        services.AddSingleton<DeviceFleet>();
        services.AddChunkSink(configuration);
        services.AddSingleton<DeviceRecordings>();
        services.AddSingleton<SignalMonitor>();
        services.AddSingleton<RelayPresence>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayPresence>());
        services.AddSingleton<CommandProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandProcessor>());
        return services;
    }

    /// <summary>The Event Hubs settings, checked only when the sink is Event Hubs; each problem names its setting.</summary>
    private sealed class EventHubsSettingsValidator(IOptions<SinkOptions> sink) : IValidateOptions<EventHubsOptions>
    {
        public ValidateOptionsResult Validate(string? name, EventHubsOptions options) =>
            sink.Value.Kind != SinkKind.EventHubs || options.Problems() is not { Count: > 0 } problems
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(problems);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NeuraScale.EdgeRelay.Commands;

/// <summary>
/// How a long-running relay command runs its host: appsettings.json beside the binary, NEURASCALE_ variables, then the
/// command's flags; settings and the parts that read them checked before the host starts, so a bad option is one line
/// naming it (exit 78) rather than a start-up failure with a stack trace.
/// </summary>
internal static class RelayHost
{
    public static async Task<int> RunAsync(
        string verb,
        IReadOnlyDictionary<string, string?> overrides,
        Action<IServiceCollection, IConfiguration> addServices,
        Action<IServiceProvider> resolveToCheck,
        CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_").AddInMemoryCollection(overrides);
        addServices(builder.Services, builder.Configuration);
        builder.Services.AddRelayTelemetry(builder.Configuration);
        using var host = builder.Build();
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            resolveToCheck(host.Services);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ArgumentException)
        {
            var problems = ex is OptionsValidationException invalid ? invalid.Failures : [ex.Message];
            await Console.Error.WriteLineAsync($"Cannot {verb}: " + string.Join(" ", problems) + $" See '{verb} --help'.").ConfigureAwait(false);
            return 78; // EX_CONFIG
        }

        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}

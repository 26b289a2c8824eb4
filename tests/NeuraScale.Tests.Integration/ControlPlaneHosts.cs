using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting.Internal;
using NeuraScale.EdgeRelay;
using NeuraScale.Processing;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The two sides of the device control plane as the tests start them: a relay host and the tools' services, both on Azurite.</summary>
internal static class ControlPlaneHosts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<IHost> StartRelayAsync(StorageOptions storage, Dictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Control:RelayId"] = "lab1", ["Control:HeartbeatSeconds"] = "1", ["Control:PollSeconds"] = "0.1", ["Control:SpoolDirectory"] = Directory.CreateTempSubdirectory("relay-spool-").FullName, ["Control:Devices:0:DeviceId"] = "lab1-eeg-01", ["Control:Devices:0:PoorContactChannels:0"] = "T8" });
        builder.Configuration.AddInMemoryCollection(extra ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRelayControl(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    public static ServiceProvider Server(StorageOptions storage, TimeProvider time) => TestServices.Application(storage, time);

    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(50, Ct); // the relay, a separate host, getting to it
        }

        throw new TimeoutException("The relay did not settle the command within 10 s.");
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using NeuraScale.Processing;
using NeuraScale.Storage;

namespace NeuraScale.Testing;

/// <summary>The application services the tools call (as the MCP server and the job app compose them), on the given storage.</summary>
public static class TestServices
{
    public static ServiceProvider Application(StorageOptions storage, TimeProvider time)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage)).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddSingleton(time);
        services.AddNeuraScaleStorage(configuration).AddNeuraScaleApplication(configuration);
        return services.BuildServiceProvider();
    }
}

using NeuraScale.Mcp.Security;
using NeuraScale.Storage;

namespace NeuraScale.Mcp.Hosting;

/// <summary>The administrative commands' services: appsettings beside the binary, then NEURASCALE_ variables, then --storage.</summary>
internal static class CliConfiguration
{
    /// <summary>Storage and the role table, configured as the server is (options validated as they are first used).</summary>
    public static ServiceProvider Services(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("NEURASCALE_")
            .AddInMemoryCollection(connectionString is null ? [] : [new("Storage:ConnectionString", connectionString)])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new CliEnvironment());
        services.AddLogging();
        services.AddNeuraScaleStorage(configuration);
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName));
        return services.BuildServiceProvider();
    }

    /// <summary>The environment the commands run in: DOTNET_ENVIRONMENT, Production by default (as the server).</summary>
    private sealed class CliEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production;

        public string ApplicationName { get; set; } = "NeuraScale.Mcp";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

namespace NeuraScale.Mcp.Hosting;

/// <summary>Configuration for the administrative commands: appsettings beside the binary, then NEURASCALE_ variables, then overrides.</summary>
internal static class CliConfiguration
{
    public static IConfigurationRoot Load(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("NEURASCALE_")
            .AddInMemoryCollection(overrides ?? [])
            .Build();
}

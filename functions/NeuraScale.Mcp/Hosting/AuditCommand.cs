using NeuraScale.Mcp.Audit;
using NeuraScale.Storage;

namespace NeuraScale.Mcp.Hosting;

/// <summary><c>audit verify</c>: checks the audit log's hash chain against the configured storage; exit code 1 when broken.</summary>
public static class AuditCommand
{
    public static async Task<int> VerifyAsync(TextWriter output)
    {
        var configuration = CliConfiguration.Load();
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var options = configuration.GetSection("Audit").Get<AuditOptions>() ?? new AuditOptions();
        using var log = new AuditLog(StorageServiceCollectionExtensions.CreateClients(storage), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(options));
        var result = await log.VerifyAsync().ConfigureAwait(false);
        await output.WriteLineAsync(result.Intact ? $"intact: {result.Detail}" : $"BROKEN at entry {result.FirstBrokenSequence}: {result.Detail}").ConfigureAwait(false);
        return result.Intact ? 0 : 1;
    }
}

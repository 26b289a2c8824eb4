using System.CommandLine;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Hosting;

/// <summary><c>audit verify</c>: checks the audit log's hash chain against the configured storage; exit code 1 when broken.</summary>
public static class AuditCommand
{
    public static Command Create(TextWriter output)
    {
        var storage = new Option<string>("--storage") { Description = "Storage connection string; default: configuration (Storage section)." };
        var verify = new Command("verify", "Walk every chain of the audit log (needs the audit secret, Audit:ArgumentHashKey) and report the first entry that was removed, reordered, altered or cut off.") { storage };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliConfiguration.Services(parse.GetValue(storage));
            var result = await services.GetRequiredService<IAuditLog>().VerifyAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(result.Intact ? $"intact: {result.Detail}" : $"BROKEN at entry {result.FirstBrokenSequence} of writer {result.FirstBrokenWriter}: {result.Detail}").ConfigureAwait(false);
            return result.Intact ? 0 : 1;
        });
        return new Command("audit", "The append-only audit log.") { verify };
    }
}

using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using NeuraScale.Jobs;
using NeuraScale.Testing;
using NeuraScale.Workflows.Hosting;
using NeuraScale.Workflows.Protocols;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The Functions host cannot run here, so the protocol run's Azure path is held to the local one by construction:
/// the jobs app has one function per activity and orchestration the local runtime registers, under the same names,
/// over the same task hub (host.json's hub and partitions are the runtime's defaults), and the deployed MCP app only
/// starts and follows runs (infra gives it Workflows:RunWorker=false).
/// </summary>
public sealed class DurableFunctionsParityTests
{
    [Fact]
    public void TheJobsAppsDurableFunctions_AreTheLocalRuntimesTasks_OnTheSameTaskHub()
    {
        var names = typeof(ProtocolActivities).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Append(ProtocolRunOrchestration.Name).Order().ToArray();
        var functions = typeof(ProtocolRunFunctions).GetMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().Order().ToArray();
        var local = typeof(ProtocolRunOrchestration).Assembly.GetTypes().Select(t => t.GetCustomAttribute<DurableTaskAttribute>()).OfType<DurableTaskAttribute>().Select(a => a.Name.Name).Order().ToArray();

        Assert.Equal(names, functions);
        Assert.Equal(names, local);

        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "functions", "NeuraScale.Jobs", "host.json")));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var defaults = new WorkflowOptions();
        Assert.Equal(defaults.TaskHubName, durable.GetProperty("hubName").GetString());
        Assert.Equal(defaults.PartitionCount, durable.GetProperty("storageProvider").GetProperty("partitionCount").GetInt32());

        var main = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "main.bicep"));
        Assert.Contains("NEURASCALE_Workflows__RunWorker: 'false'", main, StringComparison.Ordinal);
    }
}

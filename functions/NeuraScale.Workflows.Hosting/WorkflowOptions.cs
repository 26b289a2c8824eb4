namespace NeuraScale.Workflows.Hosting;

/// <summary>
/// Section <c>Workflows</c>: where protocol runs live. The task hub is a set of queues, tables and blobs in the storage
/// account (the Durable Task Azure Storage provider's layout, the same Durable Functions uses), so the jobs app in
/// Azure and this runtime locally can serve the same runs.
/// </summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Task hub name: 3–45 letters and digits, starting with a letter (Durable Functions' rule).</summary>
    public string TaskHubName { get; set; } = "NeuraScaleProtocols";

    /// <summary>
    /// Run the orchestrations in this process (the local stack, tests) or only start and follow them (the MCP server in
    /// Azure, where Durable Functions in the jobs app runs them).
    /// </summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Control-queue partitions (1–16): how many instances can share the running of orchestrations.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long a message taken by an instance that then stopped stays invisible before another instance takes it over, s.</summary>
    public int TakeoverSeconds { get; set; } = 30;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(TaskHubName) || TaskHubName.Length is < 3 or > 45 || !char.IsAsciiLetter(TaskHubName[0]) || !TaskHubName.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"Workflows:TaskHubName '{TaskHubName}' must be 3–45 letters and digits, starting with a letter.");
        }

        if (PartitionCount is < 1 or > 16)
        {
            problems.Add($"Workflows:PartitionCount must be 1–16; got {PartitionCount}.");
        }

        if (TakeoverSeconds is < 10 or > 600)
        {
            problems.Add($"Workflows:TakeoverSeconds must be 10–600; got {TakeoverSeconds}.");
        }

        return problems;
    }
}

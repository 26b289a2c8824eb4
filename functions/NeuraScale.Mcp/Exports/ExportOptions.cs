using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Mcp.Exports;

/// <summary>How exports are run and delivered. Section <c>Exports</c>.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Exports with at most this many bytes of samples (float32) run inside the tool call; larger ones go to the jobs queue.</summary>
    [Range(0, long.MaxValue)]
    public long InlineMaxBytes { get; set; } = 64L << 20;

    /// <summary>Largest export accepted, bytes of samples (64 channels × 24 h × 1 kHz is 22 GB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxExportBytes { get; set; } = 32L << 30;

    /// <summary>How long export_neural_data waits for a queued job by default before answering with the job handle.</summary>
    [Range(0, 300)]
    public int DefaultWaitSeconds { get; set; } = 20;

    /// <summary>Longest wait a caller may ask for (clients time tool calls out; progress notifications keep them alive).</summary>
    [Range(0, 300)]
    public int MaxWaitSeconds { get; set; } = 50;

    /// <summary>How often a waiting call looks at the job.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Validity of a download link unless the caller asks otherwise (the brief: 24 h).</summary>
    [Range(1, 168)]
    public int DefaultLinkHours { get; set; } = 24;
}

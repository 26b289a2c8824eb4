using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.Exports;

/// <summary>How large exports may be and which run inside the call. Section <c>Exports</c>; waiting and links are <see cref="Jobs.JobOptions"/>.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Exports with at most this many bytes of samples (float32) run inside the tool call; larger ones go to the jobs queue.</summary>
    [Range(0, long.MaxValue)]
    public long InlineMaxBytes { get; set; } = 64L << 20;

    /// <summary>Largest export accepted, bytes of samples (64 channels × 24 h × 1 kHz is 22 GB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxExportBytes { get; set; } = 32L << 30;
}

using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.Importing;

/// <summary>How recordings are imported. Section <c>Imports</c>.</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Minutes an upload link stays valid (enough to send a large file over a slow line).</summary>
    [Range(5, 24 * 60)]
    public int UploadLinkMinutes { get; set; } = 60;

    /// <summary>Largest file imported. The file is copied to the worker's temporary disk before it is checked.</summary>
    [Range(1L << 20, 100L << 30)]
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>Files up to this size are imported inside the tool call; larger ones run as a queued job.</summary>
    [Range(0, 1L << 30)]
    public long InlineMaxBytes { get; set; } = 64L << 20;
}

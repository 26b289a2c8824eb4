using System.ComponentModel.DataAnnotations;

namespace NeuraScale.Processing.NeuralData;

/// <summary>Limits on inline signal data. Bound from the <c>NeuralData</c> section.</summary>
public sealed class NeuralDataOptions
{
    public const string SectionName = "NeuralData";

    /// <summary>
    /// Most values (channels × samples) one get_neural_data call returns inline. Larger windows are cut short with a
    /// pointer to the next start time: a model's context is not the place for megabytes of numbers.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxInlineValues { get; set; } = 20_000;

    /// <summary>
    /// Most stored values (channels × samples, filter margins included) one call may read. Heavy downsampling of a
    /// long window would otherwise read hours of data to return a few thousand numbers; such windows are cut short the
    /// same way, with a pointer to continue.
    /// </summary>
    [Range(10_000, 50_000_000)]
    public int MaxReadValues { get; set; } = 4_000_000;

    /// <summary>
    /// Most values (channels × samples) one apply_filter call may process. Filtering streams in bounded memory, so
    /// this bounds time, not memory: the default covers 64 channels × 1 hour at 1 kHz.
    /// </summary>
    [Range(1_000, 2_000_000_000)]
    public long MaxFilterValues { get; set; } = 300_000_000;

    /// <summary>
    /// Most values (channels × samples) one run_analysis call reads into memory (8 bytes each): the default covers
    /// 64 channels × 5 minutes at 1 kHz.
    /// </summary>
    [Range(1_000, 200_000_000)]
    public int MaxAnalysisValues { get; set; } = 20_000_000;

    /// <summary>
    /// Most values (channels × samples) one bulk read (<c>/data/sessions/{id}.npy</c>) returns: 4 bytes each, streamed
    /// in bounded memory. The default covers 64 channels × 1 hour at 1 kHz (≈ 0.9 GB).
    /// </summary>
    [Range(10_000, 2_000_000_000)]
    public long MaxBulkValues { get; set; } = 250_000_000;
}

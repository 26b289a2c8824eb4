using NeuraScale.Mcp.Servers.NeuralData;

namespace NeuraScale.Mcp.Servers.Analysis;

/// <summary>The analysis server of the brief: spectral, ERP, time-frequency, connectivity and source analyses, with the session tools an analyst needs beside them.</summary>
public static class AnalysisServer
{
    public static McpServerDefinition Definition { get; } = new(
        "analysis",
        "neurascale-analysis",
        "NeuraScale analysis",
        "/mcp/analysis",
        "run_analysis computes spectral (Welch PSD, band powers, alpha peak), erp, time_frequency (Morlet), connectivity (coherence, PLV, wPLI) or source_localization (sLORETA/MNE) results on a window of a recording or a filtered_data_id, with units, a short summary and a PNG figure; find sessions with query_sessions and look at the samples with get_neural_data.",
        [typeof(AnalysisTools), typeof(SessionTools)]);
}

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The neural-data server of the brief: find, read, filter and export recordings, and follow the jobs exports start.</summary>
public static class NeuralDataServer
{
    public static McpServerDefinition Definition { get; } = new(
        "neural-data",
        "neurascale-neural-data",
        "NeuraScale neural data",
        "/mcp/neural-data",
        "Find sessions with query_sessions, then read samples with get_neural_data; apply_filter stores a filtered copy whose id works wherever a session id does; export_neural_data writes a file (EDF+, BDF+, MAT, CSV, Parquet, FIF) and returns a download link, or a job_id to follow with get_job_status; import_recording brings an EDF/BDF file in as a session (upload link first, then import); view_recording shows a recording to the person in the EEG viewer (clients that render MCP Apps). Patients appear only as pseudonyms (psn_…).",
        [typeof(SessionTools), typeof(Viewer.ViewerTools), typeof(QuestionTools), typeof(SignalProcessingTools), typeof(ExportTools), typeof(ImportTools), typeof(JobTools)]);
}

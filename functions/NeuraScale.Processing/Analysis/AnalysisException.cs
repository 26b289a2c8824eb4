namespace NeuraScale.Processing.Analysis;

/// <summary>
/// An analysis cannot run on this input with these parameters (too short a window, no events, a band with no bins).
/// The message says what to change; tools return it as a tool error.
/// </summary>
public sealed class AnalysisException(string message) : Exception(message);

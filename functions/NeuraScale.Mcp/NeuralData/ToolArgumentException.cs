namespace NeuraScale.Mcp.NeuralData;

/// <summary>
/// A tool argument is wrong. The message names the argument, what was given and what is allowed, so a model can
/// correct its call; it becomes a tool error result, never a crash.
/// </summary>
public sealed class ToolArgumentException(string message) : Exception(message);

namespace NeuraScale.Processing.Exports;

/// <summary>An export that cannot succeed however often it is retried (the request, not the infrastructure, is the problem).</summary>
public sealed class ExportInputException(string message) : NeuraScale.Processing.Jobs.JobInputException(message);

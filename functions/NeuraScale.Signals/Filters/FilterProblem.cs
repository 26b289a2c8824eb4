namespace NeuraScale.Signals.Filters;

/// <summary>A filter design parameter out of range: which one (the kernel's parameter name), its value, and what is allowed.</summary>
public sealed record FilterProblem(string Parameter, object? ActualValue, string Problem);

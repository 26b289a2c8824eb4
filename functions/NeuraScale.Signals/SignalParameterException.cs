namespace NeuraScale.Signals;

/// <summary>
/// A parameter the caller chose does not fit the data (an empty baseline, a band without bins, a wavelet longer than
/// the epoch) — as opposed to an invariant a caller's code broke (lengths that differ), which stays a plain
/// <see cref="ArgumentException"/>. <see cref="Problem"/> is the sentence to show, naming the parameter as MNE and
/// SciPy do, without the framework's "(Parameter …)" suffix.
/// </summary>
public sealed class SignalParameterException(string parameter, string problem) : ArgumentException(problem, parameter)
{
    public string Problem { get; } = problem;
}

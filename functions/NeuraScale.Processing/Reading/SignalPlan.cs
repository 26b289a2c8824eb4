using NeuraScale.Domain;
using NeuraScale.Signals;

namespace NeuraScale.Processing.Reading;

/// <summary>
/// The one reading plan of every tool that returns or writes samples (get_neural_data, exports, analyses): which
/// samples come out and the blocks they are read in. Output sample k is session sample <see cref="FirstOutput"/> +
/// k·factor — a grid of every factor-th sample from the recording start, so overlapping requests agree. With
/// downsampling each block reads the anti-alias filter's half-length on either side from the recording, so block
/// boundaries leave no trace and a whole-recording read equals scipy.signal.decimate(x, factor, ftype='fir').
/// </summary>
public class SignalPlan
{
    /// <summary>Input values (channels × samples) read per block: bounds memory whatever the recording's length.</summary>
    public const int BlockValues = 4_000_000;

    /// <summary>Longest block, seconds of input: progress and cancellation stay responsive on narrow reads.</summary>
    public const int MaxBlockSeconds = 60;

    /// <param name="session">The recording.</param>
    /// <param name="channels">Session channel indices, in output order.</param>
    /// <param name="firstSample">First session sample of the window.</param>
    /// <param name="endSample">One past the last session sample of the window.</param>
    /// <param name="factor">Keep every factor-th sample after the anti-alias FIR (1: none).</param>
    /// <param name="markersFromWindowStart">
    /// Report markers from <paramref name="firstSample"/> on (a window read), rather than from the first output sample
    /// (a file, whose markers cannot precede its first sample).
    /// </param>
    public SignalPlan(RecordingSession session, int[] channels, long firstSample, long endSample, int factor, bool markersFromWindowStart = false)
    {
        Session = session;
        Channels = channels;
        FirstSample = firstSample;
        EndSample = endSample;
        Factor = factor;
        HalfLength = Factor == 1 ? 0 : Decimation.HalfLength(Factor);
        FirstOutput = (firstSample + Factor - 1) / Factor * Factor;
        Outputs = FirstOutput < endSample ? ((endSample - 1 - FirstOutput) / Factor) + 1 : 0;
        MarkerStart = markersFromWindowStart ? firstSample : FirstOutput;
        var byMemory = BlockValues / Math.Max(1, channels.Length) / Factor;
        var byTime = (long)(MaxBlockSeconds * session.SamplingRateHz) / Factor;
        BlockOutputs = (int)Math.Max(1, Math.Min(Math.Min(byMemory, byTime), Math.Max(1, Outputs)));
        Blocks = (int)((Outputs + BlockOutputs - 1) / BlockOutputs);
    }

    public RecordingSession Session { get; }

    /// <summary>Session channel indices, in output order.</summary>
    public int[] Channels { get; }

    public long FirstSample { get; }

    public long EndSample { get; }

    public int Factor { get; }

    /// <summary>Samples the anti-alias filter looks at on either side of an output (0 without downsampling).</summary>
    public int HalfLength { get; }

    /// <summary>Session sample of output sample 0.</summary>
    public long FirstOutput { get; }

    /// <summary>Samples per channel that come out.</summary>
    public long Outputs { get; }

    public double OutputRateHz => Session.SamplingRateHz / Factor;

    public int BlockOutputs { get; }

    public int Blocks { get; }

    /// <summary>First session sample whose markers are reported.</summary>
    public long MarkerStart { get; }

    /// <summary>Output samples of block <paramref name="block"/>: first output index and count.</summary>
    public (long First, int Count) Block(int block)
    {
        var first = (long)block * BlockOutputs;
        return (first, (int)Math.Min(BlockOutputs, Outputs - first));
    }

    /// <summary>Session samples to read for a block: its outputs' span plus the filter's reach, inside the recording.</summary>
    public (long From, long To) Input(int block)
    {
        var (first, count) = Block(block);
        var centreFirst = FirstOutput + (first * Factor);
        var centreLast = FirstOutput + ((first + count - 1) * Factor);
        return (Math.Max(0, centreFirst - HalfLength), Math.Min(Session.SampleCount, centreLast + HalfLength + 1));
    }

    /// <summary>Session samples whose markers belong to a block: each marker in exactly one block.</summary>
    public (long From, long To) Markers(int block)
    {
        var (first, count) = Block(block);
        var from = block == 0 ? MarkerStart : FirstOutput + (first * Factor);
        var to = block == Blocks - 1 ? EndSample : FirstOutput + ((first + count) * Factor);
        return (from, to);
    }

    /// <summary>A marker's onset in seconds from the first output sample.</summary>
    public double OnsetSeconds(EventMarker marker) => (marker.Sample - FirstOutput) / Session.SamplingRateHz;

    /// <summary>Time of the first output sample.</summary>
    public DateTimeOffset StartTime => Session.StartTime + TimeSpan.FromSeconds(FirstOutput / Session.SamplingRateHz);
}

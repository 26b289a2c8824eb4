using NeuraScale.Domain;
using NeuraScale.Signals;

namespace NeuraScale.Processing.Exports;

/// <summary>
/// The samples an export writes and the blocks it reads them in. Output sample k is session sample
/// <see cref="FirstOutput"/> + k·factor (the same grid get_neural_data uses, so overlapping requests agree); with
/// downsampling each block reads the anti-alias filter's half-length on either side from the recording, so block
/// boundaries leave no trace and a whole-recording export equals scipy.signal.decimate(x, factor, ftype='fir').
/// </summary>
public sealed class ExportPlan
{
    /// <summary>Input values (channels × samples) read per block: bounds memory whatever the recording's length.</summary>
    public const int BlockValues = 4_000_000;

    /// <summary>Longest block, seconds of input: progress and cancellation stay responsive on narrow exports.</summary>
    public const int MaxBlockSeconds = 60;

    public ExportPlan(RecordingSession session, ExportRequest request)
    {
        Session = session;
        Request = request;
        Factor = request.DownsampleFactor;
        HalfLength = Factor == 1 ? 0 : Decimation.HalfLength(Factor);
        FirstOutput = (request.FirstSample + Factor - 1) / Factor * Factor;
        Outputs = FirstOutput < request.EndSample ? ((request.EndSample - 1 - FirstOutput) / Factor) + 1 : 0;
        var byMemory = BlockValues / Math.Max(1, request.Channels.Length) / Factor;
        var byTime = (long)(MaxBlockSeconds * session.SamplingRateHz) / Factor;
        BlockOutputs = (int)Math.Max(1, Math.Min(Math.Min(byMemory, byTime), Math.Max(1, Outputs)));
        Blocks = (int)((Outputs + BlockOutputs - 1) / BlockOutputs);
    }

    public RecordingSession Session { get; }

    public ExportRequest Request { get; }

    public int Factor { get; }

    /// <summary>Samples the anti-alias filter looks at on either side of an output (0 without downsampling).</summary>
    public int HalfLength { get; }

    /// <summary>Session sample of output sample 0.</summary>
    public long FirstOutput { get; }

    /// <summary>Samples per channel in the file.</summary>
    public long Outputs { get; }

    public double OutputRateHz => Session.SamplingRateHz / Factor;

    /// <summary>Bytes of samples in the file as float32: the size that decides inline or queued, and the limits.</summary>
    public long SampleBytes => Outputs * Request.Channels.Length * sizeof(float);

    public int BlockOutputs { get; }

    public int Blocks { get; }

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

    /// <summary>Session samples whose markers belong to a block: each marker in exactly one block, none before the first output.</summary>
    public (long From, long To) Markers(int block)
    {
        var (first, count) = Block(block);
        var from = FirstOutput + (first * Factor);
        var to = block == Blocks - 1 ? Request.EndSample : FirstOutput + ((first + count) * Factor);
        return (from, to);
    }

    /// <summary>A marker's onset in seconds from the first exported sample.</summary>
    public double OnsetSeconds(EventMarker marker) => (marker.Sample - FirstOutput) / Session.SamplingRateHz;

    /// <summary>Time of the first exported sample.</summary>
    public DateTimeOffset StartTime => Session.StartTime + TimeSpan.FromSeconds(FirstOutput / Session.SamplingRateHz);
}

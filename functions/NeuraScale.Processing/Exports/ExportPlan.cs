using NeuraScale.Domain;
using NeuraScale.Processing.Reading;

namespace NeuraScale.Processing.Exports;

/// <summary>The reading plan of one export (the shared <see cref="SignalPlan"/> grid and blocks) and its request.</summary>
public sealed class ExportPlan(RecordingSession session, ExportRequest request)
    : SignalPlan(session, request.Channels, request.FirstSample, request.EndSample, request.DownsampleFactor)
{
    public ExportRequest Request { get; } = request;

    /// <summary>Bytes of samples in the file as float32: the size that decides inline or queued, and the limits.</summary>
    public long SampleBytes => Outputs * Request.Channels.Length * sizeof(float);
}

using System.Text.Json.Serialization;
using NeuraScale.Processing.Jobs;

namespace NeuraScale.Processing.Exports;

/// <summary>
/// What to export, fully resolved (channel indices, sample range): the job's input, stored as JSON with the job so
/// any instance can run it, and the basis of the idempotency key.
/// </summary>
/// <param name="SessionId">Recording or derived (filtered) recording.</param>
/// <param name="Format">File format.</param>
/// <param name="Channels">Session channel indices, in output order.</param>
/// <param name="FirstSample">First session sample of the window.</param>
/// <param name="EndSample">One past the last session sample of the window.</param>
/// <param name="DownsampleFactor">Keep every n-th sample after an anti-alias FIR (1 = none), as scipy.signal.decimate(ftype='fir').</param>
public sealed record ExportRequest(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("format")] ExportFormat Format,
    [property: JsonPropertyName("channels")] int[] Channels,
    [property: JsonPropertyName("first_sample")] long FirstSample,
    [property: JsonPropertyName("end_sample")] long EndSample,
    [property: JsonPropertyName("downsample_factor")] int DownsampleFactor)
{
    /// <summary>A canonical text of the request, for idempotency keys.</summary>
    public string Canonical => $"{SessionId}|{Format}|{string.Join(',', Channels)}|{FirstSample}|{EndSample}|{DownsampleFactor}";
}

/// <summary>What an export wrote: the files and what is in them.</summary>
/// <param name="StartTimeS">Time of the first exported sample, seconds from the start of the recording.</param>
/// <param name="EndTimeS">Time just after the last exported sample.</param>
public sealed record ExportSummary(
    [property: JsonPropertyName("files")] IReadOnlyList<JobFile> Files,
    [property: JsonPropertyName("channels")] IReadOnlyList<string> Channels,
    [property: JsonPropertyName("sampling_rate_hz")] double SamplingRateHz,
    [property: JsonPropertyName("start_time_s")] double StartTimeS,
    [property: JsonPropertyName("end_time_s")] double EndTimeS,
    [property: JsonPropertyName("sample_count")] long SampleCount,
    [property: JsonPropertyName("event_count")] int EventCount,
    [property: JsonPropertyName("sample_bytes")] long SampleBytes);

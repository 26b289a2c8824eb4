using System.ComponentModel;
using NeuraScale.Processing.Viewer;

namespace NeuraScale.Mcp.Servers.NeuralData.Viewer;

/// <summary>How the viewer shows a recording; the viewer starts with these and the person changes them there.</summary>
public sealed record ViewerSettings(
    [property: Description("Page start, seconds from the recording's start.")] double StartSeconds,
    [property: Description("Page length, seconds.")] double PageSeconds,
    [property: Description("referential, average or bipolar (longitudinal bipolar, the double banana).")] string Montage,
    [property: Description("High-pass (low-frequency filter), Hz; null when off.")] double? HighPassHz,
    [property: Description("Low-pass (high-frequency filter), Hz; null when off.")] double? LowPassHz,
    [property: Description("Notch, Hz; null when off.")] double? NotchHz,
    [property: Description("Sensitivity, µV per mm of screen.")] double SensitivityUvPerMm,
    [property: Description("Whether the viewer follows the live edge of a recording in progress.")] bool FollowLive);

/// <summary>What <c>view_recording</c> opened the viewer on.</summary>
public sealed record ViewRecordingResult(
    [property: Description("The session shown.")] string SessionId,
    [property: Description("EEG, EMG or ECG.")] string Modality,
    [property: Description("Samples per second per channel.")] double SamplingRateHz,
    [property: Description("The recording's length now, seconds.")] double RecordingSeconds,
    [property: Description("True while the recording is in progress (the viewer can follow its live edge).")] bool Live,
    [property: Description("Event markers in the recording.")] int EventCount,
    [property: Description("The traces the montage shows, in order.")] IReadOnlyList<string> Traces,
    [property: Description("The display filters in words.")] string Filters,
    [property: Description("The settings the viewer opens with.")] ViewerSettings View,
    [property: Description("Recording start, ISO 8601 UTC (the viewer can show clock time).")] DateTimeOffset StartTime);

/// <summary>One page for the viewer: the traces as compact float32, the markers, where the recording ends now.</summary>
public sealed record ViewerPageResult(
    [property: Description("The session shown.")] string SessionId,
    [property: Description("Page start, seconds from the recording's start (on a sample).")] double StartSeconds,
    [property: Description("Samples per second per trace.")] double SamplingRateHz,
    [property: Description("Samples per trace on this page (fewer than a full page at the recording's end).")] int SampleCount,
    [property: Description("The recording's length now, seconds.")] double RecordingSeconds,
    [property: Description("True while the recording is in progress.")] bool Live,
    [property: Description("referential, average or bipolar.")] string Montage,
    [property: Description("The display filters in words.")] string Filters,
    [property: Description("Trace labels, in the order of the data.")] IReadOnlyList<string> Traces,
    [property: Description("Base64 of little-endian float32 µV, trace-major: trace i's samples are values [i × sample_count, (i + 1) × sample_count).")] string Data,
    [property: Description("Event markers on this page.")] IReadOnlyList<ViewerEvent> Events);

using System.ComponentModel;
using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData;

[Description("One recording session as listed by query_sessions.")]
public sealed record SessionSummary(
    [property: Description("Session id (ses_…); pass it to get_neural_data.")] string SessionId,
    [property: Description("Patient pseudonym (psn_…); identifying data is never returned here.")] string PatientId,
    [property: Description("Device id of the amplifier.")] string DeviceId,
    [property: Description("Device model.")] string DeviceModel,
    [property: Description("Modality: EEG, EMG or ECG.")] string DeviceType,
    [property: Description("Number of channels.")] int ChannelCount,
    [property: Description("Channel names in storage order (index 0 first).")] IReadOnlyList<string> ChannelNames,
    [property: Description("Sampling rate, Hz.")] double SamplingRateHz,
    [property: Description("Recording start, ISO 8601 UTC.")] DateTimeOffset StartTime,
    [property: Description("Recorded duration so far, seconds.")] double DurationS,
    [property: Description("recording, completed or interrupted.")] string Status,
    [property: Description("Number of event markers (stimuli, annotations).")] int EventCount,
    [property: Description("Free-text description of the recording, if any.")] string? Description,
    [property: Description("For a derived recording (e.g. from apply_filter): the session it was computed from; null for a recording.")] string? DerivedFromSessionId)
{
    public static SessionSummary From(RecordingSession s) => new(
        s.Id.Value,
        s.Patient.Value,
        s.DeviceId,
        s.DeviceModel,
        s.Modality.ToString(),
        s.Channels.Count,
        s.Channels.Select(c => c.Name).ToArray(),
        s.SamplingRateHz,
        s.StartTime,
        Math.Round(s.DurationSeconds, 6),
        s.Status.ToString().ToLowerInvariant(),
        s.EventCount,
        s.Description,
        s.Lineage?.SourceSessionId.Value);
}

[Description("The filters a query_sessions call applied.")]
public sealed record SessionQueryEcho(string? PatientId, DateTimeOffset? StartDate, DateTimeOffset? EndDate, string? DeviceType, string? Status, int Limit, string? DeviceId = null);

[Description("A page of recording sessions, newest first.")]
public sealed record QuerySessionsResult(
    [property: Description("Sessions on this page, newest first.")] IReadOnlyList<SessionSummary> Sessions,
    [property: Description("Number of sessions on this page.")] int Count,
    [property: Description("Pass as cursor to get the next page; null when this is the last page.")] string? NextCursor,
    [property: Description("The filters applied.")] SessionQueryEcho QueryParams,
    [property: Description("Catalog rows on this page that could not be read and were skipped (their keys, for an operator); empty normally.")] IReadOnlyList<string>? UnreadableRows = null);

[Description("A channel in a get_neural_data result.")]
public sealed record ChannelDescriptor(
    [property: Description("0-based index in the session.")] int Index,
    [property: Description("Channel name, e.g. O1.")] string Name,
    [property: Description("Channel type: EEG, EOG, EMG, ECG, Stim or Misc.")] string Type,
    [property: Description("Physical unit of the values, e.g. uV.")] string Unit);

[Description("An event marker inside the returned window.")]
public sealed record EventDescriptor(
    [property: Description("Onset, seconds from the start of the recording.")] double OnsetS,
    [property: Description("Duration, seconds (0 for an instant).")] double DurationS,
    [property: Description("Label, e.g. stimulus/target.")] string Label);

[Description("A window of signal samples.")]
public sealed record NeuralDataResult(
    [property: Description("Session id.")] string SessionId,
    [property: Description("Channels returned, in the order of the rows of data.")] IReadOnlyList<ChannelDescriptor> Channels,
    [property: Description("Sampling rate of the returned samples, Hz (original rate / downsample_factor).")] double SamplingRateHz,
    [property: Description("Sampling rate of the recording, Hz.")] double OriginalSamplingRateHz,
    [property: Description("Downsampling factor applied.")] int DownsampleFactor,
    [property: Description("Anti-alias filter applied before decimation, or null when downsample_factor is 1.")] string? AntiAliasFilter,
    [property: Description("Time of the first returned sample, seconds from the start of the recording.")] double StartTimeS,
    [property: Description("End of the returned window (exclusive), seconds from the start of the recording.")] double EndTimeS,
    [property: Description("Samples per channel returned.")] int NSamples,
    [property: Description("Shape of data: [channels, samples].")] IReadOnlyList<int> DataShape,
    [property: Description("Samples, one row per channel (channel-major), in each channel's unit.")] IReadOnlyList<float[]> Data,
    [property: Description("Event markers whose onset lies in the window.")] IReadOnlyList<EventDescriptor> Events,
    [property: Description("Recorded duration of the whole session so far, seconds.")] double SessionDurationS,
    [property: Description("True when the window was cut short by the inline value cap; see next_start_time_s.")] bool Truncated,
    [property: Description("When truncated: call again with this start_time to continue.")] double? NextStartTimeS,
    [property: Description("When truncated: the whole window asked for as one NumPy file through the bulk read path; null otherwise.")] BulkDownload? BulkDownload = null);

[Description("A window to fetch in bulk: an HTTPS GET with the same credential as the MCP endpoint (Authorization: Bearer …) returns a NumPy .npy file.")]
public sealed record BulkDownload(
    [property: Description("The link: GET it with the header 'Authorization: Bearer <your API key or token>'.")] string Url,
    [property: Description("What the file holds.")] string Format,
    [property: Description("Size of the file, bytes.")] long Bytes,
    [property: Description("Shape of the array: [channels, samples].")] IReadOnlyList<long> Shape,
    [property: Description("Window start, seconds from the start of the recording.")] double StartTimeS,
    [property: Description("Window end (exclusive), seconds.")] double EndTimeS,
    [property: Description("How to load it in Python.")] string Example);

[Description("The filters a question was read as.")]
public sealed record NeuralQuestionFilters(
    [property: Description("Patient pseudonym, or null.")] string? PatientId,
    [property: Description("Modality: EEG, EMG or ECG, or null.")] string? DeviceType,
    [property: Description("Sessions started at or after this instant (UTC), or null.")] DateTimeOffset? StartedFrom,
    [property: Description("Sessions started before this instant (UTC, exclusive), or null.")] DateTimeOffset? StartedBefore,
    [property: Description("Duration longer than this many seconds, or null.")] double? LongerThanS,
    [property: Description("Duration shorter than this many seconds, or null.")] double? ShorterThanS,
    [property: Description("Device id, or null.")] string? DeviceId,
    [property: Description("recording, completed or interrupted, or null.")] string? Status,
    [property: Description("Channels every session must have.")] IReadOnlyList<string> Channels,
    [property: Description("true: only sessions with event markers; false: only without; null: either.")] bool? HasEvents,
    [property: Description("Whether derived recordings (filtered copies) are included.")] bool IncludeDerived,
    [property: Description("Most sessions returned.")] int Limit);

[Description("Sessions found for a question, with how the question was read.")]
public sealed record NeuralQuestionResult(
    [property: Description("The question as asked.")] string Question,
    [property: Description("The filters applied.")] NeuralQuestionFilters Filters,
    [property: Description("The phrases read as filters, in order.")] IReadOnlyList<string> Understood,
    [property: Description("Words not understood and so not applied; check them before relying on the result.")] IReadOnlyList<string> NotUnderstood,
    [property: Description("Matching sessions, newest first.")] IReadOnlyList<SessionSummary> Sessions,
    [property: Description("Number of sessions returned.")] int Count,
    [property: Description("Catalog sessions read to answer.")] int SessionsExamined,
    [property: Description("True when the search stopped at its examination limit with sessions left unread; narrow the question.")] bool StoppedEarly);

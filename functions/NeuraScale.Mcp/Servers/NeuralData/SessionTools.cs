using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Storage.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The neural-data server's read tools: find sessions, read windows of samples.</summary>
[McpServerToolType]
public sealed partial class SessionTools(NeuralDataService neuralData, CallerAccessor callers, IHttpContextAccessor http, IOptions<HttpHygieneOptions> origin, ILogger<SessionTools> logger)
{
    [McpServerTool(Name = "query_sessions", Title = "Find recording sessions", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(QuerySessionsResult))]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("Lists EEG/EMG/ECG recording sessions, newest first, with optional filters. Returns session ids for get_neural_data, each session's channels, sampling rate, duration and status. Results are paged: pass next_cursor back as cursor for more.")]
    public async Task<CallToolResult> QuerySessions(
        [Description("Patient pseudonym to filter by, e.g. psn_abcdefghijklmnop.")] string? patient_id = null,
        [Description("Only sessions that started at or after this time: ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T08:00:00Z (UTC if no offset).")] string? start_date = null,
        [Description("Only sessions that started at or before this time: ISO 8601 date or date-time. A bare date includes that whole day.")] string? end_date = null,
        [Description("Modality: EEG, EMG or ECG.")] string? device_type = null,
        [Description("Status: recording, completed or interrupted.")] string? status = null,
        [Description("Sessions per page, 1–1000. Default 100.")] int limit = 100,
        [Description("Cursor from a previous call's next_cursor, to get the next page.")] string? cursor = null,
        [Description("Also list derived recordings (filtered copies made by apply_filter). Default false: recordings only.")] bool include_derived = false,
        [Description("Only sessions recorded by this device id (as list_devices shows it, e.g. sim-eeg-01; case does not matter).")] string? device_id = null,
        CancellationToken cancellationToken = default)
    {
        var query = new SessionQuery
        {
            Patient = ParsePatient(patient_id),
            DeviceId = ParseDevice(device_id),
            StartedFrom = ParseDate(start_date, nameof(start_date), endOfDay: false),
            StartedTo = ParseDate(end_date, nameof(end_date), endOfDay: true),
            Modality = ParseEnum<Modality>(device_type, nameof(device_type), "EEG, EMG or ECG"),
            Status = ParseEnum<SessionStatus>(status, nameof(status), "recording, completed or interrupted"),
            Limit = limit is >= 1 and <= SessionQuery.MaxLimit ? limit : throw new InvalidRequestException($"limit must be 1–{SessionQuery.MaxLimit}; got {limit}."),
            Cursor = cursor,
            IncludeDerived = include_derived,
        };
        var page = await neuralData.QueryAsync(query, callers.Current, cancellationToken).ConfigureAwait(false);

        var result = new QuerySessionsResult(
            page.Sessions.Select(SessionSummary.From).ToArray(),
            page.Sessions.Count,
            page.NextCursor,
            new SessionQueryEcho(patient_id, query.StartedFrom, query.StartedTo, query.Modality?.ToString(), query.Status?.ToString().ToLowerInvariant(), limit, query.DeviceId),
            page.Unreadable ?? []);
        var summary = page.Sessions.Count == 0
            ? "No sessions match these filters."
            : $"{page.Sessions.Count} session(s), newest {page.Sessions[0].Id} ({page.Sessions[0].Modality}, {page.Sessions[0].Channels.Count} ch, {page.Sessions[0].DurationSeconds:0.#} s)"
              + (page.NextCursor is null ? "." : "; more available with cursor=next_cursor.");
        if (page.Unreadable is { Count: > 0 } damaged)
        {
            LogUnreadable(logger, damaged.Count, string.Join(", ", damaged.Take(5)));
            summary += $" {damaged.Count} catalog row(s) could not be read and were skipped (unreadable_rows); the operators are told.";
        }

        return ToolResults.Structured(summary, result);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "query_sessions skipped {Count} unreadable catalog row(s): {Keys}")]
    private static partial void LogUnreadable(ILogger logger, int count, string keys);

    [McpServerTool(Name = "get_neural_data", Title = "Read signal samples", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(NeuralDataResult))]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("Returns a window of samples from a recording session, one row per channel in physical units (µV), with the event markers in the window. Optional anti-aliased downsampling. Inline output is capped (channels × samples); when the cap cuts the window the result says truncated and gives next_start_time_s to continue.")]
    public async Task<CallToolResult> GetNeuralData(
        [Description("Session id from query_sessions, e.g. ses_abcdefghijklmnopqrst.")] string session_id,
        [Description("Channels to return: 0-based indices (e.g. [0, 1]) or names (e.g. [\"O1\", \"O2\"]), or a mix. Omit for all channels.")] JsonElement[]? channels = null,
        [Description("Window start, seconds from the start of the recording. Default 0.")] double? start_time = null,
        [Description("Window end (exclusive), seconds from the start of the recording. Default: end of the recording.")] double? end_time = null,
        [Description("Keep every n-th sample after an anti-alias low-pass at the new Nyquist (as scipy.signal.decimate with ftype='fir'). Integer 1–1000; 1 returns the samples as recorded.")] int downsample_factor = 1,
        CancellationToken cancellationToken = default)
    {
        var result = await neuralData.GetAsync(new NeuralDataRequest(session_id, ToolArguments.Channels(channels), start_time, end_time, downsample_factor, callers.Current), cancellationToken).ConfigureAwait(false);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{result.Channels.Count} channel(s) × {result.NSamples} samples at {result.SamplingRateHz:0.###} Hz, {result.StartTimeS:0.###}–{result.EndTimeS:0.###} s of {result.SessionDurationS:0.###} s, {result.Events.Count} event(s).");
        if (result.Truncated)
        {
            summary += string.Create(CultureInfo.InvariantCulture,
                $" Cut short at the per-call limit; call again with start_time={result.NextStartTimeS:0.######} to continue, or ask for fewer channels.");

            // Over HTTP, the whole window is one GET away (bulk_download); stdio has no HTTP endpoint to link to.
            if (result.BulkDownload is { } bulk && http.HttpContext?.Request is { } request)
            {
                result = result with { BulkDownload = bulk with { Url = origin.Value.BaseUrlOf(request) + bulk.Url } };
                summary += string.Create(CultureInfo.InvariantCulture,
                    $" For the whole window at the recorded rate ({bulk.Shape[0]} × {bulk.Shape[1]} float32, {bulk.Bytes / 1e6:0.#} MB), GET bulk_download.url with the same Authorization header.");
            }
            else
            {
                result = result with { BulkDownload = null };
            }
        }

        return ToolResults.Structured(summary, result);
    }

    private static string? ParseDevice(string? text) => text?.Trim() switch
    {
        null or "" => null,
        { Length: > 128 } => throw new InvalidRequestException("device_id is longer than any device id (at most 128 characters); use list_devices to see the ids."),
        var id when id.Any(char.IsControl) => throw new InvalidRequestException("device_id contains control characters; use list_devices to see the ids."),
        var id => id,
    };

    private static PatientPseudonym? ParsePatient(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return PatientPseudonym.TryParse(text.Trim(), out var p)
            ? p
            : throw new InvalidRequestException($"patient_id '{text}' is not a patient pseudonym; expected 'psn_' followed by 16 characters a-z or 2-7, as shown in query_sessions results.");
    }

    private static DateTimeOffset? ParseDate(string? text, string name, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? day.AddDays(1).AddTicks(-1) : day;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return instant;
        }

        throw new InvalidRequestException($"{name} '{text}' is not an ISO 8601 date or date-time; use e.g. 2026-01-31 or 2026-01-31T08:00:00Z.");
    }

    private static TEnum? ParseEnum<TEnum>(string? text, string name, string allowed)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidRequestException($"{name} '{text}' is not allowed; use {allowed}.");
    }
}

using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.NeuralData.Queries;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The brief's natural-language query: a question about recordings, parsed deterministically into catalog filters.</summary>
[McpServerToolType]
public sealed class QuestionTools(NeuralDataService neuralData, CallerAccessor callers, TimeProvider time)
{
    [McpServerTool(Name = "query_neural_data", Title = "Ask for recordings in plain words", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(NeuralQuestionResult))]
    [RequiresPermission(Permissions.NeuralDataRead)]
    [Description("Finds recording sessions from a question in plain English, e.g. 'EEG sessions of psn_… from last week longer than 10 minutes with events', 'ECG recorded since 1 March on device sim-ecg-01', 'the newest session with O1 and O2'. Understands patient pseudonyms, EEG/EMG/ECG, dates (ISO, '1 March', month names, weekdays, today, yesterday, this/last week/month, past N days, N days ago; since/after/before/until/on/between), durations (longer/shorter than, at least/most, between N and M minutes), device ids, status (completed, interrupted, still recording), 10–10 channel labels, with/without events, derived copies, and 'the newest' / 'latest 5'. Dates are UTC; weeks start on Monday. Returns the sessions (newest first), the filters it applied and the words it did not understand — check those before relying on the result; for exact filters use query_sessions.")]
    public async Task<CallToolResult> QueryNeuralData(
        [Description("The question, up to 500 characters.")] string question,
        [Description("Most sessions to return, 1–1000 (default 20); a number in the question ('latest 5') takes precedence.")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            throw new InvalidRequestException("question is empty; ask e.g. 'EEG sessions from last week longer than 10 minutes'.");
        }

        if (question.Length > SessionQuestionParser.MaxQuestionLength)
        {
            throw new InvalidRequestException($"question is {question.Length} characters; at most {SessionQuestionParser.MaxQuestionLength} are read. Ask for one set of filters at a time.");
        }

        if (limit is < 1 or > 1000)
        {
            throw new InvalidRequestException($"limit must be 1–1000; got {limit}.");
        }

        var parsed = SessionQuestionParser.Parse(question, time.GetUtcNow());
        if (parsed.Understood.Count == 0 && parsed.NotUnderstood.Count > 0)
        {
            throw new InvalidRequestException($"None of the question could be read as a filter (not understood: {string.Join(", ", parsed.NotUnderstood.Select(w => $"'{w}'"))}). Name a patient (psn_…), a modality (EEG, EMG, ECG), dates ('since 1 March', 'last week'), a duration ('longer than 10 minutes'), a device id, a status, channels (O1, Cz) or events; or use query_sessions.");
        }

        var search = parsed.Search;
        var found = await neuralData.SearchAsync(search, callers.Current, search.Limit ?? limit, cancellationToken).ConfigureAwait(false);
        var filters = new NeuralQuestionFilters(
            search.Patient?.Value, search.Modality?.ToString(), search.StartedFrom, search.StartedBefore, search.LongerThanSeconds is { } l ? Math.Round(l, 6) : null,
            search.ShorterThanSeconds is { } s ? Math.Round(s, 6) : null, search.DeviceId, search.Status?.ToString().ToLowerInvariant(), search.Channels, search.HasEvents, search.IncludeDerived, search.Limit ?? limit);
        var result = new NeuralQuestionResult(question, filters, parsed.Understood, parsed.NotUnderstood, [.. found.Sessions.Select(SessionSummary.From)], found.Sessions.Count, found.Examined, found.StoppedEarly);

        var summary = found.Sessions.Count == 0 ? "No sessions match." : $"{found.Sessions.Count} session(s), newest {found.Sessions[0].Id}.";
        summary += $" Understood: {(parsed.Understood.Count == 0 ? "no filters (all sessions)" : string.Join("; ", parsed.Understood))}.";
        if (parsed.NotUnderstood.Count > 0)
        {
            summary += $" Not understood, so not applied: {string.Join(", ", parsed.NotUnderstood)}.";
        }

        if (found.StoppedEarly)
        {
            summary += $" Stopped after examining {found.Examined} sessions; narrow the dates or name a patient to search further.";
        }

        return ToolResults.Structured(summary, result);
    }
}

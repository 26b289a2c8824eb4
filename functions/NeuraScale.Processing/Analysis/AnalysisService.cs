using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.Analysis;

/// <summary>A run_analysis request as received.</summary>
/// <param name="Parameters">The analysis type's settings as a JSON object; null for the defaults.</param>
/// <param name="Channels">Each a 0-based index or a channel name; null or empty for all.</param>
public sealed record AnalysisRequest(string SessionId, string? AnalysisType, JsonElement? Parameters, IReadOnlyList<string>? Channels, double? StartTime, double? EndTime, Caller Caller);

/// <summary>
/// Runs one analysis on a window of a recording the caller may see: reads the window once, hands it to the handler of
/// the analysis type (off the request thread: the kernels are CPU-bound), and assembles the result.
/// </summary>
public sealed class AnalysisService(NeuralDataService neuralData, SignalWindowReader reader, IOptions<NeuralDataOptions> options)
{
    /// <summary>The analysis types, in the order the brief lists them.</summary>
    public const string AllowedTypes = "spectral, erp, time_frequency, connectivity or source_localization";

    private static readonly Dictionary<string, Func<AnalysisInput, AnalysisParameters, AnalysisOutcome>> Handlers = new(StringComparer.Ordinal)
    {
        ["spectral"] = SpectralHandler.Run,
        ["erp"] = ErpHandler.Run,
        ["time_frequency"] = TimeFrequencyHandler.Run,
        ["connectivity"] = ConnectivityHandler.Run,
        ["source_localization"] = SourceLocalizationHandler.Run,
    };

    /// <param name="progress">0–1: 5 % when the window is found, 40 % when it is read, 100 % when analysed.</param>
    public async Task<AnalysisReport> RunAsync(AnalysisRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var session = await neuralData.GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        var type = (request.AnalysisType ?? "").Trim().ToLowerInvariant();
        var handler = Handlers.GetValueOrDefault(type)
            ?? throw new InvalidRequestException($"analysis_type '{request.AnalysisType}' is not supported; use {AllowedTypes}.");
        var (selected, first, end) = SignalSelection.Resolve(session, request.Channels, request.StartTime, request.EndTime, options.Value.MaxAnalysisValues, "analyse");

        progress?.Report(0.05);
        var window = await reader.ReadAsync(session, first, checked((int)(end - first)), selected, cancellationToken).ConfigureAwait(false);
        progress?.Report(0.4);
        var fs = session.SamplingRateHz;
        var input = new AnalysisInput(
            session.Id,
            selected.Select(c => session.Channels[c]).ToArray(),
            window.Data,
            fs,
            first / fs,
            window.Events.Select(e => e with { Sample = e.Sample - first }).ToArray());

        // A cancelled call returns at once; the computation then finishes in the background and its result is dropped.
        var outcome = await Task.Run(() => handler(input, new AnalysisParameters(request.Parameters, type)), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(1);

        var sections = outcome.Sections;
        var result = new RunAnalysisResult(type, session.Id.Value, input.ChannelNames, fs, first / fs, end / fs, sections.Spectral, sections.Erp, sections.TimeFrequency, sections.Connectivity, sections.SourceLocalization, outcome.Figure);
        return new AnalysisReport(result, outcome.Summary, outcome.Figures);
    }
}

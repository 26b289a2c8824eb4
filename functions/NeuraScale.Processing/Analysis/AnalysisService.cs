using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Processing.Reading;

namespace NeuraScale.Processing.Analysis;

/// <summary>A run_analysis request as received.</summary>
/// <param name="Parameters">The analysis type's settings as a JSON object; null for the defaults.</param>
/// <param name="Channels">Each a 0-based index or a channel name; null or empty for all.</param>
public sealed record AnalysisRequest(string SessionId, string? AnalysisType, JsonElement? Parameters, IReadOnlyList<string>? Channels, double? StartTime, double? EndTime, Caller Caller);

/// <summary>
/// Runs one analysis on a window of a recording the caller may see: reads the window through the shared
/// <see cref="SignalPlan"/> (as get_neural_data and exports do), hands it to the handler of the analysis type (off the
/// request thread: the kernels are CPU-bound), and assembles the result.
/// </summary>
public sealed class AnalysisService(NeuralDataService neuralData, SignalBlockReader reader, IOptions<NeuralDataOptions> options)
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
        var (data, events) = await ReadAsync(new SignalPlan(session, selected, first, end, 1, markersFromWindowStart: true), cancellationToken).ConfigureAwait(false);
        progress?.Report(0.4);
        var fs = session.SamplingRateHz;
        var input = new AnalysisInput(session.Id, selected.Select(c => session.Channels[c]).ToArray(), data, fs, first / fs, events, session.Description);

        // A cancelled call returns at once; the computation then finishes in the background and its result is dropped.
        var outcome = await Task.Run(() => handler(input, new AnalysisParameters(request.Parameters, type)), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(1);

        var sections = outcome.Sections;
        IReadOnlyList<DataQualityNote> quality = [.. SignalQuality.Check(input), .. outcome.Notes];
        var result = new RunAnalysisResult(type, session.Id.Value, input.ChannelNames, fs, first / fs, end / fs, sections.Spectral, sections.Erp, sections.TimeFrequency, sections.Connectivity, sections.SourceLocalization, outcome.Figure, quality);
        var summary = quality.Count == 0 ? outcome.Summary : outcome.Summary + " Data quality: " + string.Join(" ", quality.Select(n => n.Message));
        return new AnalysisReport(result, summary, outcome.Figures);
    }

    /// <summary>The plan's samples as <c>data[channel][sample]</c> (µV) and its markers, counted from the window's first sample.</summary>
    private async Task<(double[][] Data, EventMarker[] Events)> ReadAsync(SignalPlan plan, CancellationToken cancellationToken)
    {
        var count = checked((int)plan.Outputs);
        var data = plan.Channels.Select(_ => new double[count]).ToArray();
        var events = new List<EventMarker>();
        await foreach (var block in reader.ReadAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            var (offset, n) = plan.Block(block.Index);
            for (var c = 0; c < data.Length; c++)
            {
                var source = block.Data[c];
                var target = data[c].AsSpan((int)offset, n);
                for (var i = 0; i < n; i++)
                {
                    target[i] = source[i];
                }
            }

            events.AddRange(block.Markers.Select(e => e with { Sample = e.Sample - plan.FirstSample }));
        }

        return (data, events.ToArray());
    }
}

using Microsoft.Extensions.Options;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Signals.Filters;

namespace NeuraScale.Processing.Filtering;

/// <summary>An apply_filter request as received: the filter in MNE's convention, the channels and the window.</summary>
/// <param name="Channels">Each a 0-based index or a channel name; null or empty for all.</param>
public sealed record ApplyFilterRequest(
    string SessionId,
    string? FilterType,
    double? LowFreq,
    double? HighFreq,
    int Order,
    bool ZeroPhase,
    double? NotchFreq,
    double Quality,
    bool Harmonics,
    IReadOnlyList<string>? Channels,
    double? StartTime,
    double? EndTime,
    Caller Caller);

/// <summary>
/// Filters a window of a recording the caller may see into a derived recording (or finds the identical earlier one),
/// and describes it with its lineage and the designed response at its key frequencies. The session is read once and
/// the filter designed once.
/// </summary>
public sealed class ApplyFilterService(NeuralDataService neuralData, SignalFilterService filters, IOptions<NeuralDataOptions> options)
{
    public async Task<ApplyFilterResult> ApplyAsync(ApplyFilterRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var session = await neuralData.GetSessionAsync(request.SessionId, request.Caller, cancellationToken).ConfigureAwait(false);
        var fs = session.SamplingRateHz;
        var filter = FilterArguments.Parse(request.FilterType, request.LowFreq, request.HighFreq, request.Order, request.ZeroPhase, request.NotchFreq, request.Quality, request.Harmonics, fs);
        var (selected, first, end) = SignalSelection.Resolve(session, request.Channels, request.StartTime, request.EndTime, options.Value.MaxFilterValues, "filter");

        var filtered = await filters.FilterAsync(new FilterJob(session, filter, selected, first, end - first), progress, cancellationToken).ConfigureAwait(false);
        var derived = filtered.Session;
        return new ApplyFilterResult(
            derived.Id.Value,
            session.Id.Value,
            filter.Describe(),
            filter.ScipyEquivalent(fs),
            derived.Channels.Select(c => c.Name).ToArray(),
            fs,
            first / fs,
            end / fs,
            Math.Round(derived.DurationSeconds, 6),
            derived.SampleCount,
            derived.EventCount,
            filtered.Reused,
            LineageDescriptor.From(derived.Lineage!),
            filter.KeyFrequencies(fs)
                .Select(f => new FrequencyResponsePoint(f, Math.Round(filtered.Sections.GainDb(f, fs, filter.ZeroPhase), 2)))
                .ToArray());
    }
}

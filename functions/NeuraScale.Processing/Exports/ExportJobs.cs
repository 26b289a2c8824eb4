using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Formats.Mat;
using NeuraScale.Processing.Exports.Writers;
using NeuraScale.Processing.Jobs;
using NeuraScale.Processing.NeuralData;
using NeuraScale.Signals;

namespace NeuraScale.Processing.Exports;

/// <summary>An export_neural_data request as received.</summary>
/// <param name="Channels">Each a 0-based index or a channel name; null or empty for all.</param>
public sealed record ExportArguments(
    string SessionId,
    string? Format,
    IReadOnlyList<string>? Channels,
    double? StartTime,
    double? EndTime,
    int DownsampleFactor,
    double? LinkExpiryHours,
    string? IdempotencyKey,
    int? WaitSeconds,
    Caller Caller);

/// <summary>
/// Exports as callers ask for them: resolves the request against a session the caller may see, refuses before any
/// work what the format or the limits cannot take, and hands it to the <see cref="JobService"/> — inline when small,
/// queued otherwise.
/// </summary>
public sealed class ExportJobs(NeuralDataService neuralData, JobService jobs, IOptions<ExportOptions> options)
{
    public async Task<JobView> ExportAsync(ExportArguments arguments, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var session = await neuralData.GetSessionAsync(arguments.SessionId, arguments.Caller, cancellationToken).ConfigureAwait(false);
        var format = ExportFormats.Parse(arguments.Format)
            ?? throw new InvalidRequestException($"format '{arguments.Format}' is not supported; use one of: {string.Join(", ", ExportFormats.Names)} (edf = EDF+ 16-bit, bdf = BDF+ 24-bit, mat = MATLAB v5, fif = MNE raw FIF).");
        if (arguments.DownsampleFactor < 1 || arguments.DownsampleFactor > Decimation.MaxFactor)
        {
            throw new InvalidRequestException($"downsample_factor must be an integer from 1 (no downsampling) to {Decimation.MaxFactor}; got {arguments.DownsampleFactor}.");
        }

        var delivery = jobs.Delivery(arguments.LinkExpiryHours, arguments.WaitSeconds);
        var selection = SignalSelection.Resolve(session, arguments.Channels, arguments.StartTime, arguments.EndTime, long.MaxValue, "export");
        var plan = new ExportPlan(session, new ExportRequest(session.Id.Value, format, selection.Channels, selection.First, selection.End, arguments.DownsampleFactor));
        Check(plan);

        var request = plan.Request;
        var submission = new JobSubmission(
            ExportJobHandler.JobKind,
            JsonSerializer.Serialize(request),
            request.Canonical,
            [request.SessionId, request.Format.ToString().ToLowerInvariant()],
            plan.SampleBytes <= options.Value.InlineMaxBytes,
            arguments.IdempotencyKey);
        return await jobs.SubmitAsync(submission, arguments.Caller, delivery, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses, before any work, what the format or the limits cannot take.</summary>
    private void Check(ExportPlan plan)
    {
        var request = plan.Request;
        if (plan.Outputs < 1)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The window holds no sample at downsample_factor {plan.Factor} (one sample every {plan.Factor / plan.Session.SamplingRateHz:0.###} s); widen the window or lower downsample_factor."));
        }

        var bytes = plan.SampleBytes;
        if (bytes > options.Value.MaxExportBytes)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"This export holds {bytes / 1e9:0.##} GB of samples; one export may hold up to {options.Value.MaxExportBytes / 1e9:0.##} GB. Export fewer channels, a shorter window or downsample."));
        }

        if (request.Format == ExportFormat.Mat && bytes > MatV5Writer.MaxDataBytes)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"A MAT v5 file holds at most 4 GB of samples; this export has {bytes / 1e9:0.##} GB. Export fewer channels or a shorter window, downsample, or use parquet or fif."));
        }

        if (request.Format == ExportFormat.Fif && request.Channels.Select(c => plan.Session.Channels[c]).FirstOrDefault(c => FifExportWriter.VoltsPerUnit(c.Unit) is null) is { } odd)
        {
            throw new InvalidRequestException($"FIF stores volts, and channel {odd.Name} is in '{odd.Unit}'. Leave that channel out or export as edf, bdf, mat, csv or parquet.");
        }
    }
}

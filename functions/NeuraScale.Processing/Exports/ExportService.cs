using NeuraScale.Domain;
using NeuraScale.Processing.Exports.Writers;
using NeuraScale.Processing.Jobs;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Catalog;

namespace NeuraScale.Processing.Exports;

/// <summary>
/// Writes an export straight into the exports container: for EDF and MAT a first pass reads channel ranges and markers
/// (EDF needs the ranges, both the markers, before the first sample; the other formats take markers at the end), then
/// a pass streams blocks through the format's writer
/// into a block-blob upload, hashing on the way. Memory stays at two blocks of samples plus the upload buffer, whatever
/// the length of the recording.
/// </summary>
public sealed class ExportService(SessionCatalog catalog, SignalBlockReader source, ExportFileStore exportFiles)
{
    /// <summary>Share of the progress bar the first pass takes.</summary>
    private const double SurveyShare = 0.3;

    /// <param name="request">What to export (already validated against the session by the caller).</param>
    /// <param name="blobFolder">Folder in the exports container, e.g. the job id.</param>
    /// <param name="progress">Fraction done, 0–1.</param>
    /// <exception cref="InvalidRequestException">The session is gone or the request does not fit it.</exception>
    public async Task<ExportSummary> ExportAsync(ExportRequest request, string blobFolder, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var session = await LoadAsync(request, cancellationToken).ConfigureAwait(false);
        var plan = new ExportPlan(session, request);
        var channels = request.Channels.Select(c => session.Channels[c]).ToArray();
        var surveyed = SignalFileWriters.NeedsSurvey(request.Format);
        var survey = surveyed ? await ExportSurvey.TakeAsync(source, plan, ScaledProgress.Of(progress, 0, SurveyShare), cancellationToken).ConfigureAwait(false) : null;
        var description = new ExportDescription(plan, channels, survey, Passband.Of(session, request.DownsampleFactor));

        var name = FileName(plan);
        var markers = new List<EventMarker>();
        var files = new List<JobFile>
        {
            await UploadAsync(blobFolder, name + request.Format.Extension(), request.Format.ContentType(), "signals",
                stream => WriteSignalsAsync(stream, description, markers, ScaledProgress.Of(progress, surveyed ? SurveyShare : 0, 1), cancellationToken), cancellationToken).ConfigureAwait(false),
        };

        if (request.Format == ExportFormat.Csv)
        {
            files.Add(await UploadAsync(blobFolder, name + "_events.csv", "text/csv", "events",
                stream => CsvExportWriter.WriteMarkersAsync(stream, description.Timed(markers), cancellationToken), cancellationToken).ConfigureAwait(false));
        }

        return new ExportSummary(
            files,
            channels.Select(c => c.Name).ToArray(),
            plan.OutputRateHz,
            plan.FirstOutput / session.SamplingRateHz,
            (plan.FirstOutput + (plan.Outputs * plan.Factor)) / session.SamplingRateHz,
            plan.Outputs,
            markers.Count,
            plan.SampleBytes);
    }

    /// <summary>The download name: session, window and rate when they differ from the whole recording.</summary>
    public static string FileName(ExportPlan plan)
    {
        var r = plan.Request;
        var s = plan.Session;
        var name = r.SessionId;
        if (r.FirstSample > 0 || r.EndSample < s.SampleCount)
        {
            name += FormattableString.Invariant($"_{r.FirstSample / s.SamplingRateHz:0.###}-{r.EndSample / s.SamplingRateHz:0.###}s");
        }

        if (r.DownsampleFactor > 1)
        {
            name += FormattableString.Invariant($"_{plan.OutputRateHz:0.###}Hz");
        }

        return name;
    }

    private async Task<RecordingSession> LoadAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(request.SessionId, out var id))
        {
            throw new InvalidRequestException($"'{request.SessionId}' is not a session id.");
        }

        var session = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidRequestException($"Session {request.SessionId} no longer exists.");
        if (request.Channels.Length == 0 || request.Channels.Any(c => c < 0 || c >= session.Channels.Count)
            || request.FirstSample < 0 || request.EndSample > session.SampleCount || request.EndSample <= request.FirstSample
            || request.DownsampleFactor < 1 || request.DownsampleFactor > Signals.Decimation.MaxFactor)
        {
            throw new InvalidRequestException($"The export request does not fit session {request.SessionId} ({session.Channels.Count} channels, {session.SampleCount} samples).");
        }

        return session;
    }

    /// <summary>The writing pass; the markers met on the way are added to <paramref name="markers"/>.</summary>
    private async Task WriteSignalsAsync(Stream stream, ExportDescription description, List<EventMarker> markers, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        // The writers refuse what their format cannot hold (too many signals for EDF, over 4 GB for MAT) with an
        // InvalidRequestException, which fails the job at once instead of retrying it.
        var writer = await SignalFileWriters.CreateAsync(description.Plan.Request.Format, stream, description, cancellationToken).ConfigureAwait(false);

        await using (writer.ConfigureAwait(false))
        {
            var plan = description.Plan;
            await foreach (var block in source.ReadAsync(plan, cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(block.Data, block.Count, cancellationToken).ConfigureAwait(false);
                markers.AddRange(block.Markers);
                progress?.Report((block.Index + 1.0) / plan.Blocks);
            }

            await writer.CompleteAsync(description.Timed(markers), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JobFile> UploadAsync(string folder, string fileName, string contentType, string role, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var uploaded = await exportFiles.UploadAsync($"{folder}/{fileName}", contentType, write, cancellationToken).ConfigureAwait(false);
        return new JobFile(role, uploaded.BlobName, fileName, contentType, uploaded.SizeBytes, uploaded.Sha256);
    }
}

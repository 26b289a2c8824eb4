using System.Text.Json;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Jobs;
using NeuraScale.Storage.Signals;
using NeuraScale.Storage.Uploads;

namespace NeuraScale.Processing.Importing;

/// <summary>
/// Import jobs: copy the upload to temporary disk (EDF needs seeking, and the file is read twice — checked, then
/// stored), check it, store it as a session, and delete the upload. The header's identification fields never leave
/// the temporary file.
/// </summary>
public sealed class ImportJobHandler(UploadStore uploads, RecordingImporter importer, SessionCatalog catalog) : IJobHandler
{
    public const string JobKind = "import";

    public string Kind => JobKind;

    public string StartedBy => "import_recording";

    public async Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var request = Request(job);
        if (await catalog.GetAsync(SessionId.Parse(request.SessionId), cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // Imported before (its upload deleted since): the session is the result.
            return JsonSerializer.Serialize(Details(request, new ImportedRecording(existing, RecordingImporter.FormatOf(existing), true, [])));
        }

        var path = Path.Combine(Path.GetTempPath(), "neurascale-import-" + job.Id + "-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                if (!await uploads.DownloadToAsync(request.UploadBlob, file, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidRequestException($"Upload {request.UploadId} is gone (uploads not imported are deleted after a day). Call import_recording without upload_id for a new link and upload the file again.");
                }
            }

            progress.Report(0.1);
            using var source = OpenChecked(path);
            var stored = new Scaled(progress, 0.1, 0.9);
            var imported = await importer.ImportAsync(source, SessionId.Parse(request.SessionId), PatientPseudonym.Parse(request.Patient), request.Description, stored, cancellationToken).ConfigureAwait(false);
            await uploads.DeleteAsync(request.UploadBlob, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(Details(request, imported));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public JobOutput ReadOutput(JobRecord job)
    {
        var details = job.Result is { } json
            ? JsonSerializer.Deserialize<ImportDetails>(json)
            : Pending(Request(job));
        return new JobOutput([], JsonSerializer.SerializeToElement(details));
    }

    /// <summary>The file, checked; a file that can never be imported is refused (and its upload kept for a day, then deleted).</summary>
    private static EdfSessionSource OpenChecked(string path)
    {
        try
        {
            return EdfSessionSource.Open(path);
        }
        catch (InvalidRequestException ex)
        {
            throw new InvalidRequestException("The uploaded file was not imported, nothing was stored. " + ex.Message);
        }
    }

    /// <summary>The import request a job holds.</summary>
    public static ImportRequest Request(JobRecord job) =>
        JsonSerializer.Deserialize<ImportRequest>(job.Request)
        ?? throw new InvalidRequestException($"Job {job.Id} holds no import request.");

    private static ImportDetails Pending(ImportRequest request) =>
        new(request.UploadId, request.SessionId, null, null, null, null, null, null, null, null, null);

    private static ImportDetails Details(ImportRequest request, ImportedRecording imported)
    {
        var session = imported.Session;
        return new ImportDetails(
            request.UploadId,
            session.Id.Value,
            imported.Format,
            session.StartTime,
            session.DurationSeconds,
            session.SamplingRateHz,
            session.Modality.ToString(),
            session.Channels.Select(c => new ImportedChannel(c.Name, c.Type.ToString().ToLowerInvariant(), c.Unit)).ToArray(),
            session.EventCount,
            imported.Notes,
            imported.AlreadyPresent);
    }

    /// <summary>Progress of a part of the job, reported synchronously (in order) as a share of the whole.</summary>
    private sealed class Scaled(IProgress<double> whole, double offset, double share) : IProgress<double>
    {
        public void Report(double value) => whole.Report(offset + (share * value));
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Uploads;

namespace NeuraScale.Processing.Importing;

/// <summary>An import_recording request as received: without an upload id it asks for an upload link.</summary>
public sealed record ImportArguments(string Patient, string? UploadId, string? Description, int? WaitSeconds, Caller Caller);

/// <summary>Where and how to upload a file for import.</summary>
public sealed record UploadTicket(string UploadId, Uri UploadUrl, DateTimeOffset ExpiresAt, long MaxBytes);

/// <summary>
/// Imports EDF/EDF+/BDF/BDF+ recordings for callers: issues a write-only upload link, then turns the uploaded file into
/// a session through the <see cref="JobService"/> (inside the call when small, queued when large). Uploads live in a
/// folder of their own per caller, so an upload id is useless to anyone else.
/// </summary>
public sealed partial class RecordingImportService(UploadStore uploads, SessionCatalog catalog, JobService jobs, IOptions<ImportOptions> options)
{
    public const int MaxDescriptionLength = 500;

    private readonly ImportOptions _options = options.Value;

    /// <summary>A fresh upload link for a file of <see cref="ImportArguments.Patient"/>'s.</summary>
    public async Task<UploadTicket> CreateUploadAsync(ImportArguments arguments, CancellationToken cancellationToken)
    {
        Check(arguments);
        var uploadId = "upl_" + Identifiers.RandomBase32(20);
        var link = await uploads.IssueUploadLinkAsync(BlobName(arguments.Caller, uploadId), TimeSpan.FromMinutes(_options.UploadLinkMinutes), cancellationToken).ConfigureAwait(false);
        return new UploadTicket(uploadId, link.Url, link.ExpiresAt, _options.MaxUploadBytes);
    }

    /// <summary>Imports an uploaded file as a session of the patient's; repeating the request returns the same job and session.</summary>
    public async Task<JobView> ImportAsync(ImportArguments arguments, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var patient = Check(arguments);
        var uploadId = arguments.UploadId!.Trim();
        if (!UploadIdPattern().IsMatch(uploadId))
        {
            throw new InvalidRequestException($"upload_id '{arguments.UploadId}' is not an upload id; ids look like 'upl_' followed by 20 characters a-z or 2-7, as import_recording returns them. Omit upload_id to get a new upload link.");
        }

        var delivery = jobs.Delivery(null, arguments.WaitSeconds);
        var blob = BlobName(arguments.Caller, uploadId);

        // The upload's blob names the caller and the upload, so the session id it derives is the same on every repeat;
        // once imported, the upload is deleted and a repeat finds the session instead.
        var sessionId = SessionId.Derived("import\n" + blob);
        var imported = await catalog.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) is not null;
        var size = imported ? 0 : await uploads.SizeAsync(blob, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidRequestException($"Nothing was uploaded for {uploadId} (uploads are per account: a link someone else obtained does not work for you). Upload the file first: PUT it to the upload_url with the header 'x-ms-blob-type: BlockBlob'. Links expire after {_options.UploadLinkMinutes} minutes; call import_recording without upload_id for a new one.");
        if (size > _options.MaxUploadBytes)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The upload is {size / 1e6:0.#} MB; files up to {_options.MaxUploadBytes / 1e6:0.#} MB are imported. Split the recording (e.g. with EDFbrowser or MNE-Python) and import the parts."));
        }

        if (size == 0 && !imported)
        {
            throw new InvalidRequestException($"The upload {uploadId} is empty (0 bytes). PUT the file's bytes to the upload_url with the header 'x-ms-blob-type: BlockBlob'.");
        }

        var request = new ImportRequest(blob, uploadId, patient.Value, arguments.Description?.Trim(), sessionId.Value);
        var submission = new JobSubmission(
            ImportJobHandler.JobKind,
            JsonSerializer.Serialize(request),
            "import\n" + blob,
            [request.SessionId, uploadId, patient.Value],
            size <= _options.InlineMaxBytes,
            IdempotencyKey: null);
        return await jobs.SubmitAsync(submission, arguments.Caller, delivery, progress, cancellationToken).ConfigureAwait(false);
    }

    private static PatientPseudonym Check(ImportArguments arguments)
    {
        if (!PatientPseudonym.TryParse(arguments.Patient?.Trim(), out var patient))
        {
            throw new InvalidRequestException($"patient '{arguments.Patient}' is not a patient pseudonym; pseudonyms look like 'psn_' followed by 16 characters a-z or 2-7 (the clinical server's get_patient and query_sessions show them). Never pass a name or record number.");
        }

        if (!arguments.Caller.CanSee(patient))
        {
            throw new InvalidRequestException($"patient '{patient.Value}' is not among the patients you may see; you can import only for patients in your scope.");
        }

        if (arguments.Description is { Length: > MaxDescriptionLength })
        {
            throw new InvalidRequestException($"description is {arguments.Description.Length} characters; at most {MaxDescriptionLength} (task and protocol, no patient-identifying data).");
        }

        return patient;
    }

    /// <summary>The caller's folder (a hash of their id: no identity in blob names) and the upload.</summary>
    private static string BlobName(Caller caller, string uploadId) => Identifiers.HashBase32("uploads\n" + caller.Id, 16) + "/" + uploadId;

    [GeneratedRegex("^upl_[a-z2-7]{20}$")]
    private static partial Regex UploadIdPattern();
}

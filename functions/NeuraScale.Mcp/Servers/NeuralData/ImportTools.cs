using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Mcp.Security;
using NeuraScale.Processing.Importing;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage.Jobs;

namespace NeuraScale.Mcp.Servers.NeuralData;

/// <summary>The neural-data server's import tool: an EDF/EDF+/BDF/BDF+ file becomes a session.</summary>
[McpServerToolType]
public sealed class ImportTools(RecordingImportService imports, CallerAccessor callers)
{
    [McpServerTool(Name = "import_recording", Title = "Import an EDF/BDF recording", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ImportRecordingResult))]
    [RequiresPermission(Permissions.NeuralDataImport, Category = RateLimitCategory.DataExport)]
    [Description("Imports an EDF, EDF+, BDF or BDF+ recording as a session of a patient. Two steps: (1) call with patient (and an optional description) to get upload_id and a write-only upload_url; PUT the file there (header x-ms-blob-type: BlockBlob; upload_command shows curl). (2) Call again with the same patient and upload_id: the file is checked (header fields, record count against the file's length, samples inside the digital range, EDF+ record onsets) and refused with what is wrong — nothing half-imported — or stored with the recording's own start time, 10-20 channel names, channel types and units (voltages in uV), and its annotations as events. Returns session_id (use it with get_neural_data, run_analysis, export_neural_data). The file's patient/recording identification fields are never stored. Large files run as a job (poll get_job_status); repeating the call returns the same session.")]
    public async Task<CallToolResult> ImportRecording(
        [Description("Patient pseudonym the recording belongs to (psn_ + 16 characters a-z, 2-7). Never a name or record number.")] string patient,
        [Description("The upload_id from the first call, once the file is uploaded. Omit to get an upload link.")] string? upload_id = null,
        [Description("What the recording is (task, protocol), up to 500 characters, no patient-identifying data.")] string? description = null,
        [Description("Seconds to wait for a queued import before answering with its job_id (0–50, default 20).")] int? wait_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var arguments = new ImportArguments(patient, upload_id, description, wait_seconds, callers.Current);
        if (upload_id is null)
        {
            var ticket = await imports.CreateUploadAsync(arguments, cancellationToken).ConfigureAwait(false);
            var command = $"curl --fail -X PUT -H \"x-ms-blob-type: BlockBlob\" --upload-file recording.edf \"{ticket.UploadUrl}\"";
            var awaiting = new ImportRecordingResult("awaiting_upload", ticket.UploadId, ticket.UploadUrl.ToString(), ticket.ExpiresAt, ticket.MaxBytes, command,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
            return ToolResults.Structured(
                string.Create(CultureInfo.InvariantCulture, $"Upload the EDF/BDF file (up to {ticket.MaxBytes / 1e6:0} MB) with an HTTP PUT to upload_url (header x-ms-blob-type: BlockBlob) before {ticket.ExpiresAt:yyyy-MM-dd HH:mm} UTC, then call import_recording with patient {patient.Trim()} and upload_id {ticket.UploadId}."),
                awaiting);
        }

        var view = await imports.ImportAsync(arguments, ProgressReports.Percent(progress, "Importing " + upload_id), cancellationToken).ConfigureAwait(false);
        var details = view.Details?.Deserialize<ImportDetails>() ?? throw new InvalidOperationException($"Job {view.Job.Id} has no import details.");
        var done = view.Job.Status == JobStatus.Succeeded;
        var result = new ImportRecordingResult(view.Status, details.UploadId, null, null, null, null, view.Job.Id, Math.Round(view.Job.Progress, 3), view.Message,
            done ? details.SessionId : null, details.Format, details.StartTime, details.DurationS, details.SamplingRateHz, details.Modality, details.Channels, details.EventCount, details.Notes, details.AlreadyImported);
        var structured = ToolResults.Structured(Summary(view, details), result);
        structured.IsError = view.Job.Status == JobStatus.Failed;
        return structured;
    }

    private static string Summary(JobView view, ImportDetails d) => view.Job.Status switch
    {
        JobStatus.Succeeded => string.Create(CultureInfo.InvariantCulture,
            $"{(d.AlreadyImported == true ? "Already imported" : "Imported")} {d.Format} as {d.SessionId}: {d.Channels?.Count} channel(s) at {d.SamplingRateHz:0.###} Hz, {d.DurationS:0.###} s from {d.StartTime:yyyy-MM-dd HH:mm:ss} (the file's clock), {d.EventCount} event(s).{(d.Notes is { Count: > 0 } notes ? " " + string.Join(" ", notes) : "")}"),
        JobStatus.Failed => $"Import of {d.UploadId} failed: {view.Job.Message}",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"Import job {view.Job.Id} is {view.Status} ({view.Job.Progress * 100:0}%) and continues in the background; call get_job_status with job_id {view.Job.Id}. Its details carry the session_id when done."),
    };
}

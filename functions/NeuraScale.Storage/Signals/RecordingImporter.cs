using NeuraScale.Domain;
using NeuraScale.Formats.Edf;

namespace NeuraScale.Storage.Signals;

/// <summary>What an import stored: the session, whether it was already there, and what changed on the way in.</summary>
public sealed record ImportedRecording(RecordingSession Session, string Format, bool AlreadyPresent, IReadOnlyList<string> Notes);

/// <summary>
/// Stores a checked EDF/EDF+/BDF/BDF+ file as a completed session with the recording's own start time, channels,
/// units and annotations. The one import path: the <c>import_recording</c> tool's job and the relay's <c>import</c>
/// command both end here. Nothing becomes visible until every sample is stored (see
/// <see cref="SessionIngestService.ImportAsync"/>).
/// </summary>
public sealed class RecordingImporter(SessionIngestService ingest)
{
    /// <summary>Device id of imported sessions: they were recorded elsewhere, by whatever the file came from.</summary>
    public const string ImportDeviceId = "import";

    private const string FileSuffix = " file";

    /// <summary>The format ("EDF+", "BDF" …) an imported session came from, as its device model records it.</summary>
    public static string FormatOf(RecordingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.DeviceModel.EndsWith(FileSuffix, StringComparison.Ordinal) ? session.DeviceModel[..^FileSuffix.Length] : session.DeviceModel;
    }

    public async Task<ImportedRecording> ImportAsync(EdfSessionSource source, SessionId id, PatientPseudonym patient, string? description, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var session = new RecordingSession
        {
            Id = id,
            Patient = patient,
            DeviceId = ImportDeviceId,
            DeviceModel = source.Format + FileSuffix,
            Modality = source.Modality,
            Channels = source.Channels,
            SamplingRateHz = source.SamplingRateHz,
            StartTime = source.StartTime,
            Description = description,
        };
        var chunks = (long)Math.Ceiling(source.SampleCount / source.SamplingRateHz);
        var (stored, existing) = await ingest.ImportAsync(session, source.Chunks(id), chunks, progress, cancellationToken).ConfigureAwait(false);
        return new ImportedRecording(stored, source.Format, existing, source.Notes);
    }
}

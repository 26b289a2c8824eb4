using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Formats;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Testing;

public static class TestSessions
{
    public static RecordingSession For(SimulatedAmplifier amp, DateTimeOffset start, PatientPseudonym? patient = null) => new()
    {
        Id = SessionId.New(),
        Patient = patient ?? PatientPseudonym.New(),
        DeviceId = amp.Device.Id,
        DeviceModel = amp.Device.Model,
        Modality = amp.Device.Modality,
        Channels = amp.Device.Channels,
        SamplingRateHz = amp.Device.SamplingRateHz,
        StartTime = start,
    };

    /// <summary>Chunk <paramref name="sequence"/> of a session, cut from the simulator's ground truth.</summary>
    public static SignalChunk Chunk(SimulatedAmplifier amp, SessionId id, long sequence, int? samples = null)
    {
        var fs = (int)amp.Device.SamplingRateHz;
        var count = samples ?? fs;
        var first = sequence * fs;
        var buffer = new float[amp.Device.Channels.Count * count];
        amp.Generate(first, count, buffer);
        return new SignalChunk(id, sequence, first, fs, amp.Device.Channels.Count, buffer, amp.EventsBetween(first, first + count));
    }

    /// <summary>Opens a session and stores its first <paramref name="seconds"/> one-second chunks; returns it as catalogued.</summary>
    public static async Task<RecordingSession> StoreAsync(SessionIngestService ingest, Storage.Catalog.SessionCatalog catalog, SimulatedAmplifier amp, int seconds, CancellationToken cancellationToken)
    {
        var session = await ingest.OpenAsync(For(amp, DateTimeOffset.UtcNow), cancellationToken);
        for (var k = 0; k < seconds; k++)
        {
            await ingest.AppendAsync(Chunk(amp, session.Id, k), cancellationToken);
        }

        return (await catalog.GetAsync(session.Id, cancellationToken))!;
    }
}

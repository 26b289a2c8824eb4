using System.Diagnostics;
using NeuraScale.Domain;
using NeuraScale.LocalHost;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;

namespace NeuraScale.Benchmarks;

/// <summary>
/// Entities read per query (what Table storage bills and scales by; Azurite's timings do not model a partition's
/// throughput) at growing catalog sizes. Each catalog: N sessions over 24 months, 20 per patient, 200 devices, 80 % EEG /
/// 10 % ECG / 10 % EMG, 0.5 % still recording, 5 % derived; written with <see cref="SessionCatalog.AddManyAsync"/>.
/// Beside each figure, what the previous layout (every session in one partition, filters on its rows) read for the
/// same query, counted from the same data.
/// </summary>
public static class CatalogScaleBenchmark
{
    public static async Task RunAsync(int[] sizes)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        Console.WriteLine("| sessions | query | returned | entities read | previous layout read | ms |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (var n in sizes)
        {
            var options = new StorageOptions { ConnectionString = azurite.ConnectionString, SessionsTable = "catalog" + n };
            var clients = StorageServiceCollectionExtensions.CreateClients(options);
            await clients.EnsureCreatedAsync();
            var catalog = new SessionCatalog(clients);
            var now = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
            var random = new Random(n);
            var patients = Enumerable.Range(0, Math.Max(1, n / 20)).Select(_ => PatientPseudonym.New()).ToArray();
            var channels = new[] { new ChannelInfo("Cz", ChannelType.EEG, "uV") };
            var sessions = Enumerable.Range(0, n).Select(i =>
            {
                var roll = random.NextDouble();
                var source = SessionId.New();
                return new RecordingSession
                {
                    Id = SessionId.New(),
                    Patient = patients[random.Next(patients.Length)],
                    DeviceId = $"amp-{random.Next(200):D3}",
                    DeviceModel = "bench",
                    Modality = roll < 0.8 ? Modality.EEG : roll < 0.9 ? Modality.ECG : Modality.EMG,
                    Channels = channels,
                    SamplingRateHz = 250,
                    StartTime = now.AddMinutes(-random.Next(60 * 24 * 730)),
                    SampleCount = 250 * 600,
                    Status = random.NextDouble() < 0.005 ? SessionStatus.Recording : SessionStatus.Completed,
                    Lineage = random.NextDouble() < 0.05 ? new RecordingLineage { SourceSessionId = source, RootSessionId = source, SourceFirstSample = 0, SourceChannels = [0], Steps = [] } : null,
                };
            }).ToArray();

            var watch = Stopwatch.StartNew();
            await catalog.AddManyAsync(sessions, parallelism: 32);
            Console.Error.WriteLine($"catalogued {n} sessions in {watch.Elapsed.TotalSeconds:0.0} s");

            var recordings = sessions.Where(s => s.Lineage is null).ToArray();
            var patient = recordings[0].Patient;
            var scope = patients.Take(10).ToHashSet();
            var day = recordings[1].StartTime;
            var queries = new (string Name, SessionQuery Query)[]
            {
                ("newest 100", new SessionQuery { Limit = 100 }),
                ("one patient", new SessionQuery { Patient = patient }),
                ("one device, newest 100", new SessionQuery { DeviceId = recordings[2].DeviceId }),
                ("ECG, newest 100", new SessionQuery { Modality = Modality.ECG }),
                ("still recording", new SessionQuery { Status = SessionStatus.Recording }),
                ("one day (up to 1000)", new SessionQuery { StartedFrom = day.Date, StartedTo = day.Date.AddDays(1).AddTicks(-1), Limit = 1000 }),
                ("a caller with 10 patients, newest 100", new SessionQuery { AllowedPatients = scope }),
            };
            foreach (var (name, query) in queries)
            {
                watch.Restart();
                var page = await catalog.QueryAsync(query);
                var ms = watch.Elapsed.TotalMilliseconds;
                Console.WriteLine($"| {n:N0} | {name} | {page.Sessions.Count} | {page.EntitiesRead:N0} | {PreviousLayout(sessions, query):N0} | {ms:0} |");
            }
        }
    }

    /// <summary>
    /// The previous layout read, newest first, every row in the query's date range, filtering on the rows, until the page
    /// was full: rows up to and including the page's last match, or the whole range when the page did not fill.
    /// </summary>
    private static int PreviousLayout(RecordingSession[] sessions, SessionQuery query)
    {
        var inRange = sessions
            .Where(s => (query.StartedFrom is null || s.StartTime >= query.StartedFrom) && (query.StartedTo is null || s.StartTime <= query.StartedTo))
            .OrderByDescending(s => s.StartTime)
            .ToArray();
        var matched = 0;
        for (var i = 0; i < inRange.Length; i++)
        {
            var s = inRange[i];
            var match = (query.Patient is null || s.Patient == query.Patient)
                && (query.AllowedPatients is null || query.AllowedPatients.Contains(s.Patient))
                && (query.DeviceId is null || s.DeviceId == query.DeviceId)
                && (query.Modality is null || s.Modality == query.Modality)
                && (query.Status is null || s.Status == query.Status)
                && (query.IncludeDerived || s.Lineage is null);
            if (match && ++matched == query.Limit)
            {
                return i + 1;
            }
        }

        return inRange.Length;
    }
}

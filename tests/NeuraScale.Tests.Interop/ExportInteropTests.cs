using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DuckDB.NET.Data;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Domain;
using NeuraScale.Processing;
using NeuraScale.Processing.Exports;
using NeuraScale.Processing.Reading;
using NeuraScale.Storage.Exports;
using NeuraScale.Processing.Filtering;
using NeuraScale.Signals.Filters;
using NeuraScale.Storage;
using NeuraScale.Storage.Catalog;
using NeuraScale.Storage.Signals;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// Exports of a stored recording, written by <see cref="ExportService"/> into the exports container on Azurite,
/// downloaded through their SAS link with a plain HTTP client (checksum and size as reported), opened by the reader a
/// user would use (EDF also by EDFlib, the strict C library behind EDFbrowser), and compared with the stored samples
/// and markers.
/// </summary>
public sealed class ExportInteropTests(AzuriteFixture azurite) : IDisposable
{
    private const double Rate = 250;
    private const int Seconds = 24;
    private static readonly HttpClient Http = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("export-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(ExportFormat.Edf, 16)]
    [InlineData(ExportFormat.Bdf, 24)]
    public async Task EdfOrBdf_WholeRecording_ReadByMneAndEdfLib_WithinHalfAStep_WithMarkers(ExportFormat format, int bits)
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var request = Whole(session, format);
        var (summary, paths) = await ExportAndDownloadAsync(stack, request, ct);
        var levels = Math.Pow(2, bits) - 1;

        var output = Path.Combine(_dir, "mne.f64");
        var mne = PythonReference.Run("read_export_edf_mne.py", new { path = paths[0], @out = output, bdf = format == ExportFormat.Bdf });
        var source = await stack.ReadAsync(session, request, ct);
        Assert.Equal(session.Channels.Select(c => c.Name), Strings(mne, "ch_names"));
        Assert.Equal(Rate, mne.GetProperty("sfreq").GetDouble());
        Assert.Equal(session.StartTime.ToUnixTimeSeconds(), DateTimeOffset.Parse(mne.GetProperty("meas_date").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        var times = mne.GetProperty("n_times").GetInt32();
        var read = PythonReference.ReadFloat64(output);
        for (var c = 0; c < source.Data.Length; c++)
        {
            var step = (source.Data[c].Max() - source.Data[c].Min()) / levels;
            var worst = Enumerable.Range(0, source.SampleCount).Max(i => Math.Abs(read[(c * times) + i] - source.Data[c][i]));
            Assert.True(worst <= (0.51 * step) + 1e-9, $"channel {c}: {worst:E3} µV off, a {bits}-bit step is {step:E3} µV");
        }

        AssertMarkers(source.Events, session, request.FirstSample, Annotations(mne).Where(a => a.Label != "end of recording").ToList());
        Assert.Equal(source.Events.Count, summary.EventCount);

        // EDFlib, strict about EDF+ (what EDFbrowser builds on), opens it as EDF+ with the same header, samples and annotations.
        var (edflib, samples) = EdfLibReference.Read(paths[0]);
        Assert.Equal(format == ExportFormat.Bdf ? 3 : 1, edflib.GetProperty("filetype").GetInt32()); // EDFLIB_FILETYPE_BDFPLUS / _EDFPLUS
        // EDF+ subfields cannot hold spaces, so readers show '_' as a space: psn_… reads "psn …".
        Assert.Equal(session.Patient.Value.Replace('_', ' '), edflib.GetProperty("patientcode").GetString());
        Assert.Equal(session.Id.Value.Replace('_', ' '), edflib.GetProperty("admincode").GetString());
        Assert.Equal(session.DeviceId, edflib.GetProperty("equipment").GetString());
        Assert.Equal(session.StartTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), edflib.GetProperty("start").GetString());
        var signals = edflib.GetProperty("labels").EnumerateArray().ToArray();
        Assert.Equal(session.Channels.Select(c => c.Name), signals.Select(s => s.GetProperty("label").GetString()!.TrimEnd()));
        Assert.All(signals, s => Assert.Equal("uV", s.GetProperty("unit").GetString()!.TrimEnd()));
        var perSignal = signals[0].GetProperty("samples").GetInt32();
        for (var c = 0; c < source.Data.Length; c++)
        {
            var step = (source.Data[c].Max() - source.Data[c].Min()) / levels;
            var worst = Enumerable.Range(0, source.SampleCount).Max(i => Math.Abs(samples[(c * perSignal) + i] - source.Data[c][i]));
            Assert.True(worst <= (0.51 * step) + 1e-9, $"EDFlib, channel {c}: {worst:E3} µV off, a {bits}-bit step is {step:E3} µV");
        }

        var edflibAnnotations = edflib.GetProperty("annotations").EnumerateArray()
            .Select(a => (a.GetProperty("onset_s").GetDouble(), a.GetProperty("duration_s").GetDouble(), a.GetProperty("text").GetString()!))
            .Where(a => a.Item3 != "end of recording").ToList();
        AssertMarkers(source.Events, session, request.FirstSample, edflibAnnotations);
    }

    [Fact]
    public async Task Mat_WindowAndChannelSubset_ReadByScipy_EqualsTheStoredSamplesExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var request = new ExportRequest(session.Id.Value, ExportFormat.Mat, [5, 0, 2], (long)(3.5 * Rate), 17 * (long)Rate, 1);
        var (summary, paths) = await ExportAndDownloadAsync(stack, request, ct);

        var output = Path.Combine(_dir, "mat.f32");
        var mat = PythonReference.Run("read_mat_scipy.py", new { path = paths[0], variable = "recording", @out = output });
        var source = await stack.ReadAsync(session, request, ct);
        Assert.Equal(new[] { 3, source.SampleCount }, mat.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(request.Channels.Select(c => session.Channels[c].Name), Strings(mat, "channel_names"));
        Assert.Equal(Rate, mat.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal(session.Id.Value, mat.GetProperty("session_id").GetString());
        Assert.Equal(3.5, summary.StartTimeS);
        Assert.Equal(17, summary.EndTimeS);
        Assert.Equal(session.StartTime.AddSeconds(3.5), DateTimeOffset.Parse(mat.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture));

        var bytes = await File.ReadAllBytesAsync(output, ct);
        var read = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, read, 0, bytes.Length);
        // scipy hands back a C-ordered (channels, samples) array.
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < source.SampleCount; i++)
            {
                Assert.Equal((float)source.Data[c][i], read[(c * source.SampleCount) + i]);
            }
        }

        var onsets = mat.GetProperty("onsets").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var labels = Strings(mat, "labels");
        AssertMarkers(source.Events, session, request.FirstSample, onsets.Select((o, i) => (o, 0.0, labels[i])).ToList());
    }

    [Fact]
    public async Task Csv_ReadByPandas_EqualsTheStoredSamplesExactly_WithAnEventsFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var request = Whole(session, ExportFormat.Csv) with { Channels = [0, 1, 2, 3] };
        var (summary, paths) = await ExportAndDownloadAsync(stack, request, ct);
        Assert.Equal(["signals", "events"], summary.Files.Select(f => f.Role));

        var output = Path.Combine(_dir, "csv.f64");
        var csv = PythonReference.Run("read_csv_pandas.py", new { path = paths[0], events = paths[1], @out = output });
        var source = await stack.ReadAsync(session, request, ct);
        Assert.Equal(["time_s", .. request.Channels.Select(c => session.Channels[c].Name + " (uV)")], Strings(csv, "columns"));
        Assert.Equal(source.SampleCount, csv.GetProperty("rows").GetInt32());
        var read = PythonReference.ReadFloat64(output);
        for (var c = 0; c < 4; c++)
        {
            for (var i = 0; i < source.SampleCount; i++)
            {
                Assert.Equal((float)source.Data[c][i], (float)read[(c * source.SampleCount) + i]);
            }
        }

        var events = csv.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("onset_s").GetDouble(), e.GetProperty("duration_s").GetDouble(), e.GetProperty("label").GetString()!)).ToList();
        AssertMarkers(source.Events, session, request.FirstSample, events);
    }

    [Fact]
    public async Task Parquet_ReadByDuckDb_EqualsTheStoredSamplesExactly_WithMetadata()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var request = Whole(session, ExportFormat.Parquet);
        var (_, paths) = await ExportAndDownloadAsync(stack, request, ct);
        var source = await stack.ReadAsync(session, request, ct);

        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(ct);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT * FROM read_parquet('{paths[0]}') ORDER BY time_s";
            await using var reader = await command.ExecuteReaderAsync(ct);
            Assert.Equal(["time_s", .. session.Channels.Select(c => c.Name)], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
            var row = 0;
            while (await reader.ReadAsync(ct))
            {
                Assert.Equal(row / Rate, reader.GetDouble(0), 12);
                for (var c = 0; c < session.Channels.Count; c++)
                {
                    Assert.Equal((float)source.Data[c][row], reader.GetFloat(c + 1));
                }

                row++;
            }

            Assert.Equal(source.SampleCount, row);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata('{paths[0]}') WHERE decode(key) = 'neurascale.events'";
            var events = JsonDocument.Parse((string)(await command.ExecuteScalarAsync(ct))!).RootElement.EnumerateArray()
                .Select(e => (e.GetProperty("onset_s").GetDouble(), e.GetProperty("duration_s").GetDouble(), e.GetProperty("label").GetString()!)).ToList();
            AssertMarkers(source.Events, session, request.FirstSample, events);
        }
    }

    [Fact]
    public async Task Fif_OfAFilteredRecording_ReadByMne_WithItsBandTypesAndAnnotations()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var filter = new FilterSpecification { Type = FilterType.BandPass, LowHz = 1, HighHz = 40 };
        var filtered = await stack.Filters.FilterAsync(new FilterJob(session, filter, [.. Enumerable.Range(0, session.Channels.Count)], 0, session.SampleCount), null, ct);
        var derived = filtered.Session;
        var request = Whole(derived, ExportFormat.Fif);
        var (_, paths) = await ExportAndDownloadAsync(stack, request, ct);

        var output = Path.Combine(_dir, "fif.f64");
        var mne = PythonReference.Run("read_fif_mne.py", new { path = paths[0], @out = output });
        var source = await stack.ReadAsync(derived, request, ct);
        Assert.Equal(derived.Channels.Select(c => c.Name), Strings(mne, "ch_names"));
        Assert.All(Strings(mne, "ch_types"), t => Assert.Equal("eeg", t));
        Assert.Equal(1, mne.GetProperty("highpass").GetDouble(), 6);
        Assert.Equal(40, mne.GetProperty("lowpass").GetDouble(), 6);
        var read = PythonReference.ReadFloat64(output);
        for (var c = 0; c < source.Data.Length; c++)
        {
            for (var i = 0; i < source.SampleCount; i++)
            {
                var expected = source.Data[c][i];
                Assert.True(Math.Abs(read[(c * source.SampleCount) + i] - expected) <= (1e-6 * Math.Abs(expected)) + 1e-9, $"channel {c} sample {i}");
            }
        }

        AssertMarkers(source.Events, derived, request.FirstSample, Annotations(mne));

        // A montage MNE builds from the file: every 10-20 site at its standard place on a 9 cm sphere.
        var montage = mne.GetProperty("montage");
        foreach (var channel in derived.Channels)
        {
            var expected = Signals.Sources.ElectrodePositions.Find(channel.Name)!.Value;
            var got = montage.GetProperty(channel.Name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(0.09 * expected.X, got[0], 1e-6);
            Assert.Equal(0.09 * expected.Y, got[1], 1e-6);
            Assert.Equal(0.09 * expected.Z, got[2], 1e-6);
        }
    }

    [Fact]
    public async Task Mat_Downsampled_EqualsScipyDecimateOfTheWholeRecording()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        const int factor = 5;
        var request = Whole(session, ExportFormat.Mat) with { Channels = [3], DownsampleFactor = factor };
        var (summary, paths) = await ExportAndDownloadAsync(stack, request, ct);
        Assert.Equal(Rate / factor, summary.SamplingRateHz);

        var mat = PythonReference.Run("read_mat_scipy.py", new { path = paths[0], variable = "recording", @out = Path.Combine(_dir, "mat.f32") });
        Assert.Equal(Rate / factor, mat.GetProperty("sampling_rate_hz").GetDouble());
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir, "mat.f32"), ct);
        var read = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, read, 0, bytes.Length);

        var source = await stack.ReadAsync(session, request, ct);
        var input = Path.Combine(_dir, "x.f64");
        PythonReference.WriteFloat64(input, source.Data[0]);
        PythonReference.Run("decimate_scipy.py", new { input, q = factor, @out = Path.Combine(_dir, "y.f64"), taps = Path.Combine(_dir, "taps.f64") });
        var scipy = PythonReference.ReadFloat64(Path.Combine(_dir, "y.f64"));
        Assert.Equal(scipy.Length, read.Length);
        for (var i = 0; i < scipy.Length; i++)
        {
            // float32 output of a float64 computation: equal to float32 rounding.
            Assert.True(Math.Abs(read[i] - scipy[i]) <= (1e-6 * Math.Abs(scipy[i])) + 1e-4, $"sample {i}: {read[i]} vs SciPy {scipy[i]}");
        }
    }

    [Fact]
    public async Task DownloadLink_TamperedOrForAnotherBlob_IsRefusedByAzurite()
    {
        var ct = TestContext.Current.CancellationToken;
        var (stack, session) = await StoreAsync(ct);
        var summary = await stack.Exports.ExportAsync(Whole(session, ExportFormat.Csv), "job_tamper", null, ct);
        var link = await stack.Links.IssueAsync(summary.Files[0].BlobName, summary.Files[0].FileName, TimeSpan.FromHours(1), ct);

        using (var ok = await Http.GetAsync(link.Url, ct))
        {
            Assert.True(ok.IsSuccessStatusCode);
        }

        var otherBlob = new Uri(link.Url.ToString().Replace(summary.Files[0].FileName, summary.Files[1].FileName, StringComparison.Ordinal));
        var widened = new Uri(link.Url.ToString().Replace("sp=r", "sp=rw", StringComparison.Ordinal));
        foreach (var bad in new[] { otherBlob, widened })
        {
            using var refused = await Http.GetAsync(bad, ct);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    private static ExportRequest Whole(RecordingSession session, ExportFormat format) =>
        new(session.Id.Value, format, [.. Enumerable.Range(0, session.Channels.Count)], 0, session.SampleCount, 1);

    private async Task<(ExportSummary Summary, string[] Paths)> ExportAndDownloadAsync(Stack stack, ExportRequest request, CancellationToken ct)
    {
        var summary = await stack.Exports.ExportAsync(request, "job_" + Guid.NewGuid().ToString("N")[..8], null, ct);
        var paths = new List<string>();
        foreach (var file in summary.Files)
        {
            var link = await stack.Links.IssueAsync(file.BlobName, file.FileName, TimeSpan.FromHours(24), ct);
            using var response = await Http.GetAsync(link.Url, ct);
            response.EnsureSuccessStatusCode();
            Assert.Equal($"attachment; filename=\"{file.FileName}\"", response.Content.Headers.ContentDisposition?.ToString());
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            Assert.Equal(file.SizeBytes, bytes.Length);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var path = Path.Combine(_dir, file.FileName);
            await File.WriteAllBytesAsync(path, bytes, ct);
            paths.Add(path);
        }

        return (summary, [.. paths]);
    }

    /// <summary>Every stored marker in the window appears once, at its time from the first exported sample, with its label.</summary>
    private static void AssertMarkers(IReadOnlyList<EventMarker> stored, RecordingSession session, long firstSample, IReadOnlyList<(double Onset, double Duration, string Label)> read)
    {
        Assert.NotEmpty(stored);
        Assert.Equal(stored.Count, read.Count);
        foreach (var (marker, got) in stored.Zip(read.OrderBy(r => r.Onset)))
        {
            // FIF keeps onsets as float32: 1e-5 s is far inside one sample at any EEG rate.
            Assert.Equal((marker.Sample - firstSample) / session.SamplingRateHz, got.Onset, 1e-5);
            Assert.Equal(marker.DurationSamples / session.SamplingRateHz, got.Duration, 6);
            Assert.Equal(marker.Label, got.Label);
        }
    }

    private static string[] Strings(JsonElement json, string property) => json.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static List<(double Onset, double Duration, string Label)> Annotations(JsonElement mne) =>
        mne.GetProperty("annotations").EnumerateArray()
            .Select(a => (a.GetProperty("onset").GetDouble(), a.GetProperty("duration").GetDouble(), a.GetProperty("description").GetString()!)).ToList();

    private async Task<(Stack Stack, RecordingSession Session)> StoreAsync(CancellationToken ct)
    {
        var clients = await azurite.CreateStorageAsync(ct);
        var stack = new Stack(clients);
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 8, SamplingRateHz = Rate, Seed = 61, StimulusIntervalSeconds = 1.5 });
        var session = await TestSessions.StoreAsync(new SessionIngestService(stack.Catalog, stack.Store), stack.Catalog, amp, Seconds, ct);
        return (stack, session);
    }

    /// <summary>The services an export uses, over one isolated set of containers.</summary>
    private sealed class Stack(StorageClients clients)
    {
        public SessionCatalog Catalog { get; } = new(clients);

        public SignalStore Store { get; } = new(clients);

        public SignalWindowReader Reader => new(Store);

        public ExportService Exports => new(Catalog, new SignalBlockReader(Reader), new ExportFileStore(clients));

        public DownloadLinkIssuer Links { get; } = new(clients, TimeProvider.System);

        public SignalFilterService Filters => new(Reader, new DerivedRecordingStore(Catalog, Store), TimeProvider.System);

        public Task<SignalWindow> ReadAsync(RecordingSession session, ExportRequest request, CancellationToken ct) =>
            Reader.ReadAsync(session, request.FirstSample, (int)(request.EndSample - request.FirstSample), request.Channels, ct);
    }
}

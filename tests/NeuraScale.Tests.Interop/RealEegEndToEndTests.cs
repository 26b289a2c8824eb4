using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Domain;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// A real recording end to end: PhysioNet S001R02 (eyes closed) replayed through the relay into Azurite, read back
/// with get_neural_data through the official MCP client, compared sample by sample with what MNE-Python reads from the
/// same file.
/// </summary>
public sealed class RealEegEndToEndTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("real-eeg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReplayedEdf_ServedByMcp_EqualsMneToFloat32()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = RepositoryPaths.EegMmiDb("S001R02.edf");
        var storage = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(storage);
        await clients.EnsureCreatedAsync(ct);
        RecordingSession session;
        using (var replay = new EdfReplayDriver(new EdfReplayOptions { Path = path, Speed = 10_000 }))
        {
            session = await TestRecorder.RecordAsync(clients, replay, PatientPseudonym.New(), 0, ct);
        }

        Assert.Equal(60 * 160, session.SampleCount);
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Equal(1, session.EventCount);

        var mneData = Path.Combine(_dir, "mne.f64");
        var mne = PythonReference.Run("read_edf_mne.py", new { path, @out = mneData });
        var reference = PythonReference.ReadFloat64(mneData);
        var samples = mne.GetProperty("n_times").GetInt32();
        var mneNames = mne.GetProperty("ch_names").EnumerateArray().Select(e => e.GetString()!).ToList();

        await using var server = await McpTestServer.StartAsync(storage, ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, await McpTestServer.CreateKeyAsync(storage, ["researcher"], cancellationToken: ct), ct);
        var result = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?>
        {
            ["session_id"] = session.Id.Value,
            ["channels"] = new object[] { "O1", "Oz", "O2", "FC5" },
            ["start_time"] = 0,
            ["end_time"] = 30,
        }, cancellationToken: ct);

        Assert.NotEqual(true, result.IsError);
        var json = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(160, json.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal("T0", Assert.Single(json.GetProperty("events").EnumerateArray()).GetProperty("label").GetString());
        var rows = json.GetProperty("data").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        string[] mneLabels = ["O1..", "Oz..", "O2..", "Fc5."];
        var worst = 0.0;
        for (var c = 0; c < mneLabels.Length; c++)
        {
            var offset = mneNames.IndexOf(mneLabels[c]) * samples;
            Assert.Equal(30 * 160, rows[c].Length);
            for (var i = 0; i < rows[c].Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(rows[c][i] - (float)reference[offset + i]));
            }
        }

        // Stored as float32: equal to MNE's value rounded to float32 (a last-bit tie at most).
        Assert.True(worst <= 1e-5, $"largest difference from MNE {worst:E2} µV");
    }
}

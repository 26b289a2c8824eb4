using System.Globalization;
using System.Text;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

/// <summary>What an imported EDF/BDF file becomes, and what makes a file unimportable.</summary>
public sealed class EdfSessionSourceTests : IDisposable
{
    private static readonly string EyesClosed = RepositoryPaths.EegMmiDb("S001R02.edf");
    private readonly string _dir = Directory.CreateTempSubdirectory("edf-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RealEdfPlus_BecomesASessionWithItsOwnClockChannelsAndAnnotations()
    {
        using var source = EdfSessionSource.Open(EyesClosed);

        Assert.Equal("EDF+", source.Format);
        Assert.Equal(160, source.SamplingRateHz);
        Assert.Equal(60 * 160, source.SampleCount);
        Assert.Equal(new DateTimeOffset(2009, 8, 12, 16, 15, 0, TimeSpan.Zero), source.StartTime);
        Assert.Equal(64, source.Channels.Count);
        Assert.Equal(new ChannelInfo("FC5", ChannelType.EEG, "uV"), source.Channels[0]);
        Assert.Contains(source.Channels, c => c.Name == "Oz");
        Assert.Equal(Modality.EEG, source.Modality);
        using var reader = EdfReader.Open(EyesClosed);
        var annotation = Assert.Single(reader.ReadAnnotations());
        var marker = Assert.Single(source.Events);
        Assert.Equal(new EventMarker(0, (int)Math.Round(annotation.DurationSeconds * 160), "T0"), marker);
        Assert.Empty(source.Notes);

        // The chunks hold the file's physical values (to float32), one second each, the marker in the first.
        var o1 = reader.Header.Signals.Select(s => s.Label).ToList().IndexOf("O1..");
        var expected = reader.ReadPhysical(o1, 0, 60);
        var chunks = source.Chunks(SessionId.New()).ToArray();
        Assert.Equal(60, chunks.Length);
        Assert.Single(chunks[0].Events);
        Assert.All(chunks.Skip(1), c => Assert.Empty(c.Events));
        var stored = chunks.SelectMany(c => c.Samples.AsSpan(o1 * c.SampleCount, c.SampleCount).ToArray()).ToArray();
        Assert.Equal(expected.Select(v => (float)v), stored);
    }

    [Fact]
    public async Task BdfPlus_In_mV_IsReadAs24Bit_ConvertedToMicrovolts_WithTypesByLabelAndUnit()
    {
        var path = Path.Combine(_dir, "test.bdf");
        const double Fs = 256;
        var n = (int)(3.5 * Fs);
        var t = Enumerable.Range(0, n).Select(i => i / Fs).ToArray();
        double[][] data =
        [
            t.Select(x => 0.05 * Math.Sin(2 * Math.PI * 10 * x)).ToArray(), // mV: ±50 µV alpha
            t.Select(x => 1.2 * Math.Sin(2 * Math.PI * 1.1 * x)).ToArray(),  // mV: ECG-sized
            t.Select(x => 50 + (10 * Math.Sin(2 * Math.PI * 0.25 * x))).ToArray(), // %: not a potential
        ];
        var spec = new EdfFileSpec("psn_x", "ses_x", "test", new DateTime(2031, 5, 6, 7, 8, 9), Fs, n,
            [new("EEG Cz-REF", "AgAgCl", "mV", -0.06, 0.06, ""), new("ECG II", "", "mV", -1.3, 1.3, ""), new("Resp", "belt", "%", 0, 100, "")],
            [new EdfAnnotation(1.25, 0, "stimulus/target"), new EdfAnnotation(2.5, 0.5, "button")], Bdf: true);
        await using (var file = File.Create(path))
        {
            var writer = await EdfWriter.CreateAsync(file, spec, TestContext.Current.CancellationToken);
            await writer.WriteAsync(data, n, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
        }

        using var source = EdfSessionSource.Open(path);

        Assert.Equal("BDF+", source.Format);
        Assert.True(source.Header.IsBdf);
        Assert.Equal(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero), source.StartTime);
        Assert.Equal([new ChannelInfo("Cz", ChannelType.EEG, "uV"), new ChannelInfo("ECG II", ChannelType.ECG, "uV"), new ChannelInfo("Resp", ChannelType.Misc, "%")], source.Channels);
        Assert.Contains(source.Notes, note => note.Contains("Converted to µV: EEG Cz-REF (mV), ECG II (mV)", StringComparison.Ordinal));
        Assert.Contains(new EventMarker(320, 0, "stimulus/target"), source.Events);
        Assert.Contains(new EventMarker(640, 128, "button"), source.Events);

        var chunks = source.Chunks(SessionId.New()).ToArray();
        var cz = chunks.SelectMany(c => c.Samples.AsSpan(0, c.SampleCount).ToArray()).ToArray();
        // 24 bits over ±60 µV: a step of 7e-6 µV; float32 at 50 µV rounds to 4e-6 µV.
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(data[0][i] * 1000, cz[i], 2e-5);
        }
    }

    [Fact]
    public void TruncatedFile_IsRefused_NamingTheRecordCount()
    {
        var bytes = File.ReadAllBytes(EyesClosed);
        var error = Refused(bytes[..^100]);
        Assert.Contains("declares 60 data record(s) but the file holds only 59", error, StringComparison.Ordinal);
        Assert.Contains("not a whole record", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteShiftedFile_IsRefused_NamingTheDigitalRange()
    {
        var error = Refused(DamagedEdf.LineEndingsConverted(File.ReadAllBytes(EyesClosed)));
        Assert.Contains("outside their signal's digital range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnEdfFile_IsRefused_NamingTheVersionField()
    {
        var error = Refused(Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 600)));
        Assert.Contains("Not a readable EDF/BDF file", error, StringComparison.Ordinal);
        Assert.Contains("version field", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DiscontinuousEdfPlus_IsRefused_WithWhatToDo()
    {
        var bytes = File.ReadAllBytes(EyesClosed);
        Encoding.ASCII.GetBytes("EDF+D").CopyTo(bytes, 192);
        Assert.Contains("discontinuous EDF+D", Refused(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderFieldThatIsNotANumber_IsRefused_NamingTheField()
    {
        var bytes = File.ReadAllBytes(EyesClosed);
        Encoding.ASCII.GetBytes("1,0     ").CopyTo(bytes, 244);
        Assert.Contains("duration of a data record", Refused(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void SignalsAtAnotherRate_AreLeftOutAndNamed()
    {
        // A polysomnogram's shape: two EEG signals at 100 Hz and an oximeter at 1 Hz, in plain EDF (no annotations).
        var bytes = TinyEdf([("C3", "uV", 100), ("C4", "uV", 100), ("SpO2", "%", 1)], records: 3);
        var path = Path.Combine(_dir, "psg.edf");
        File.WriteAllBytes(path, bytes);

        using var source = EdfSessionSource.Open(path);

        Assert.Equal("EDF", source.Format);
        Assert.Equal(100, source.SamplingRateHz);
        Assert.Equal(["C3", "C4"], source.Channels.Select(c => c.Name));
        Assert.Contains(source.Notes, n => n.Contains("Left out 1 signal(s) sampled at 1 Hz rather than 100 Hz: SpO2", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero), source.StartTime);
    }

    private string Refused(byte[] bytes)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".edf");
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<InvalidRequestException>(() => EdfSessionSource.Open(path)).Message;
    }

    /// <summary>A plain EDF file written field by field (zeros as samples), for layouts our writer never produces.</summary>
    private static byte[] TinyEdf((string Label, string Unit, int SamplesPerRecord)[] signals, int records)
    {
        var header = new StringBuilder();
        void Field(string value, int width) => header.Append(value.PadRight(width)[..width]);
        Field("0", 8);
        Field("X X X X", 80);
        Field("Startdate X X X X", 80);
        Field("03.02.01", 8);
        Field("04.05.06", 8);
        Field((256 * (signals.Length + 1)).ToString(CultureInfo.InvariantCulture), 8);
        Field("", 44);
        Field(records.ToString(CultureInfo.InvariantCulture), 8);
        Field("1", 8);
        Field(signals.Length.ToString(CultureInfo.InvariantCulture), 4);
        foreach (var (width, value) in new (int, Func<(string Label, string Unit, int SamplesPerRecord), string>)[]
        {
            (16, s => s.Label), (80, _ => ""), (8, s => s.Unit), (8, _ => "-100"), (8, _ => "100"), (8, _ => "-32768"), (8, _ => "32767"), (80, _ => ""),
            (8, s => s.SamplesPerRecord.ToString(CultureInfo.InvariantCulture)), (32, _ => ""),
        })
        {
            foreach (var s in signals)
            {
                Field(value(s), width);
            }
        }

        return [.. Encoding.ASCII.GetBytes(header.ToString()), .. new byte[records * signals.Sum(s => s.SamplesPerRecord) * 2]];
    }
}

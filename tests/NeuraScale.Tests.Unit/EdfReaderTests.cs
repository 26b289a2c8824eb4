using System.Numerics;
using System.Text;
using NeuraScale.Amplifiers.EdfReplay;
using NeuraScale.Formats.Edf;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

public class EdfReaderTests
{
    private static readonly string EyesOpen = RepositoryPaths.EegMmiDb("S001R01.edf");
    private static readonly string EyesClosed = RepositoryPaths.EegMmiDb("S001R02.edf");

    [Fact]
    public void Open_RealEegmmidbFile_ReadsHeader()
    {
        using var reader = EdfReader.Open(EyesOpen);
        var header = reader.Header;

        Assert.True(header.IsEdfPlus);
        Assert.Equal(65, header.Signals.Count);
        Assert.Equal(60, header.RecordCount);
        Assert.Equal(1.0, header.RecordDurationSeconds);
        Assert.Equal(new DateTime(2009, 8, 12, 16, 15, 0), header.StartTime);
        Assert.Equal("Fc5.", header.Signals[0].Label);
        Assert.True(header.Signals[64].IsAnnotation);
        Assert.All(header.Signals.Take(64), s => Assert.Equal(160, s.SamplesPerRecord));
        Assert.All(header.Signals.Take(64), s => Assert.Equal("uV", s.PhysicalDimension));
    }

    [Fact]
    public void ReadAnnotations_StopsEachTalAtItsNul()
    {
        using var reader = EdfReader.Open(EyesOpen);

        var annotation = Assert.Single(reader.ReadAnnotations());

        Assert.Equal(new EdfAnnotation(0, 60, "T0"), annotation with { DurationSeconds = Math.Round(annotation.DurationSeconds) });
    }

    [Fact]
    public void ParseTals_SkipsTimeKeepingPaddingAndGarbage()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes("+0\u0014\u0014\0"));
        bytes.AddRange(Encoding.UTF8.GetBytes("+1.5\u00150.25\u0014stimulus/target\u0014Ünï\u0014\0"));
        bytes.AddRange([0xFF, 0xFE, 0x80, 0x00, 0x00]);
        var annotations = new List<EdfAnnotation>();

        EdfReader.ParseTals(bytes.ToArray(), annotations);

        Assert.Equal([new EdfAnnotation(1.5, 0.25, "stimulus/target"), new EdfAnnotation(1.5, 0.25, "Ünï")], annotations);
    }

    [Fact]
    public void Open_TruncatedOrForeignFile_SaysWhatIsWrong()
    {
        var bytes = File.ReadAllBytes(EyesOpen);

        var truncated = Assert.Throws<FormatException>(() => EdfReader.Open(new MemoryStream(bytes[..300])));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        var foreign = Assert.Throws<FormatException>(() => EdfReader.Open(new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 600)))));
        Assert.Contains("version field", foreign.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fc5.", "FC5")]
    [InlineData("Fcz.", "FCz")]
    [InlineData("O1..", "O1")]
    [InlineData("Fp1.", "Fp1")]
    [InlineData("Fpz.", "Fpz")]
    [InlineData("Afz.", "AFz")]
    [InlineData("Iz..", "Iz")]
    [InlineData("EEG Cz-REF", "Cz")]
    [InlineData("ECG II", "ECG II")]
    public void Normalize_ElectrodeLabels_To1020Spelling(string label, string expected) =>
        Assert.Equal(expected, ElectrodeNames.Normalize(label));

    [Fact]
    public void Replay_EyesClosed_HasMoreOccipitalAlphaThanEyesOpen()
    {
        // The Berger effect on real data: closing the eyes raises 8–13 Hz power over occipital cortex.
        using var open = new EdfReplayDriver(new EdfReplayOptions { Path = EyesOpen });
        using var closed = new EdfReplayDriver(new EdfReplayOptions { Path = EyesClosed });

        foreach (var name in new[] { "O1", "Oz", "O2" })
        {
            var ratio = AlphaPower(closed, name) / AlphaPower(open, name);
            Assert.True(ratio > 1.5, $"{name}: eyes-closed/eyes-open alpha power ratio {ratio:0.00}");
        }
    }

    [Theory]
    [InlineData("S001R01.edf")]
    [InlineData("S001R02.edf")]
    public void RealRecordings_AreIntact_AndTheirOccipitalAmplitudesPhysiological(string file)
    {
        using var reader = EdfReader.Open(RepositoryPaths.EegMmiDb(file));

        var integrity = reader.CheckIntegrity();

        Assert.True(integrity.Intact, integrity.Problem);
        Assert.Equal(60, integrity.Records);
        foreach (var name in new[] { "O1..", "Oz..", "O2.." })
        {
            var index = reader.Header.Signals.Select(s => s.Label).ToList().IndexOf(name);
            var x = reader.ReadPhysical(index, 0, 60);
            var mean = x.Average();
            var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            Assert.InRange(sd, 20, 150); // scalp EEG: tens of µV (the damaged copy gave thousands)
        }
    }

    [Fact]
    public void DamagedCopy_LineEndingsConverted_IsFlagged_AndReplayRefusesIt()
    {
        // What happened to an earlier copy: every LF byte of the data became CR LF, then the file was cut to length.
        var original = File.ReadAllBytes(EyesOpen);
        var path = Path.Combine(Directory.CreateTempSubdirectory("edf-").FullName, "damaged.edf");
        File.WriteAllBytes(path, DamagedEdf.LineEndingsConverted(original));

        using (var reader = EdfReader.Open(path))
        {
            var integrity = reader.CheckIntegrity();
            Assert.False(integrity.Intact);
            Assert.True(integrity.SamplesOutsideDigitalRange > 1000, $"{integrity.SamplesOutsideDigitalRange} samples out of range");
            Assert.NotEmpty(integrity.MisplacedRecords);
            Assert.Contains("damaged", integrity.Problem, StringComparison.Ordinal);
        }

        var refused = Assert.Throws<ArgumentException>(() => new EdfReplayDriver(new EdfReplayOptions { Path = path }));
        Assert.Contains("outside their signal's digital range", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_Device_DescribesTheFile()
    {
        using var driver = new EdfReplayDriver(new EdfReplayOptions { Path = EyesOpen });

        Assert.Equal(160, driver.Device.SamplingRateHz);
        Assert.Equal(64, driver.Device.Channels.Count);
        Assert.Equal("FC5", driver.Device.Channels[0].Name);
        Assert.Equal(60 * 160, driver.TotalSamples);
        Assert.Equal("T0", Assert.Single(driver.EventsBetween(0, driver.TotalSamples)).Label);
    }

    private static double AlphaPower(EdfReplayDriver driver, string channel)
    {
        var index = driver.Device.Channels.Select(c => c.Name).ToList().IndexOf(channel);
        var x = driver.ReadChannel(index, 0, 60);
        var mean = x.Average();
        var power = 0.0;
        for (var f = 8.0; f <= 13.0; f += 0.25)
        {
            var sum = Complex.Zero;
            for (var n = 0; n < x.Length; n++)
            {
                sum += (x[n] - mean) * Complex.Exp(new Complex(0, -2 * Math.PI * f * n / 160.0));
            }

            power += sum.Magnitude * sum.Magnitude;
        }

        return power;
    }
}

using NeuraScale.Domain;
using NeuraScale.Processing.Exports;
using NeuraScale.Signals;

namespace NeuraScale.Tests.Unit;

/// <summary>How an export is cut into blocks: every output once, markers once, the filter's reach read around each block.</summary>
public sealed class ExportPlanTests
{
    private static RecordingSession Session(int channels, double rate, long samples) => new()
    {
        Id = SessionId.New(),
        Patient = PatientPseudonym.New(),
        DeviceId = "dev",
        DeviceModel = "model",
        Modality = Modality.EEG,
        Channels = Enumerable.Range(0, channels).Select(c => new ChannelInfo("C" + c, ChannelType.EEG, "uV")).ToArray(),
        SamplingRateHz = rate,
        StartTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        SampleCount = samples,
    };

    [Theory]
    [InlineData(64, 1000.0, 3_600_000L, 0L, 3_600_000L, 1)]
    [InlineData(64, 1000.0, 3_600_000L, 1234L, 2_000_001L, 4)]
    [InlineData(3, 250.0, 10_000L, 7L, 9_999L, 250)]
    [InlineData(1, 512.0, 100L, 0L, 100L, 3)]
    public void Blocks_CoverEveryOutputOnce_WithinTheMemoryBound(int channels, double rate, long samples, long first, long end, int factor)
    {
        var plan = new ExportPlan(Session(channels, rate, samples), new ExportRequest("ses_x", ExportFormat.Edf, [.. Enumerable.Range(0, channels)], first, end, factor));

        Assert.Equal((first + factor - 1) / factor * factor, plan.FirstOutput);
        Assert.Equal(((end - 1) / factor) - ((first + factor - 1) / factor) + 1, plan.Outputs);
        long next = 0;
        for (var b = 0; b < plan.Blocks; b++)
        {
            var (from, count) = plan.Block(b);
            Assert.Equal(next, from);
            next += count;
            var (inFrom, inTo) = plan.Input(b);
            var half = factor == 1 ? 0 : Decimation.HalfLength(factor);
            Assert.Equal(Math.Max(0, plan.FirstOutput + (from * factor) - half), inFrom);
            Assert.Equal(Math.Min(samples, plan.FirstOutput + ((from + count - 1) * factor) + half + 1), inTo);
            Assert.True((inTo - inFrom) * channels <= ExportPlan.BlockValues + (2L * half * channels), $"block {b} reads {(inTo - inFrom) * channels} values");
        }

        Assert.Equal(plan.Outputs, next);
    }

    [Fact]
    public void Markers_BelongToExactlyOneBlock_FromTheFirstOutputToTheWindowEnd()
    {
        var plan = new ExportPlan(Session(64, 1000, 600_000), new ExportRequest("ses_x", ExportFormat.Edf, [.. Enumerable.Range(0, 64)], 10_001, 590_000, 2));
        Assert.True(plan.Blocks > 2);
        var owned = Enumerable.Range(0, plan.Blocks).Select(plan.Markers).ToArray();
        Assert.Equal(plan.FirstOutput, owned[0].From);
        Assert.Equal(590_000, owned[^1].To);
        for (var b = 1; b < owned.Length; b++)
        {
            Assert.Equal(owned[b - 1].To, owned[b].From);
        }
    }

    [Fact]
    public void FileName_SaysTheWindowAndRate_WhenTheyAreNotTheWholeRecording()
    {
        var session = Session(2, 1000, 60_000);
        Assert.Equal(session.Id.Value, ExportService.FileName(new ExportPlan(session, new ExportRequest(session.Id.Value, ExportFormat.Edf, [0, 1], 0, 60_000, 1))));
        Assert.Equal(session.Id.Value + "_1.5-30s_250Hz", ExportService.FileName(new ExportPlan(session, new ExportRequest(session.Id.Value, ExportFormat.Edf, [0], 1500, 30_000, 4))));
    }
}

using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Tests.Unit;

public class AuditOptionsTests
{
    [Theory]
    [InlineData("Development", AuditOptions.DevelopmentKey, true)]
    [InlineData("Production", AuditOptions.DevelopmentKey, false)]
    [InlineData("Staging", AuditOptions.DevelopmentKey, false)]
    [InlineData("Production", "0123456789abcdef0123456789abcdef", true)]
    [InlineData("Production", "0123456789abcdef0123456789abcde", false)]
    [InlineData("Development", "short", false)]
    [InlineData("Production", "", false)]
    public void Validate_RefusesTheDevelopmentKeyOutsideDevelopment_AndShortKeys(string environment, string key, bool valid)
    {
        var result = new AuditOptionsValidator(new Environment(environment)).Validate(null, new AuditOptions { ArgumentHashKey = key });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Audit:ArgumentHashKey", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, 256, 60, "Audit:MaxBlocksPerSegment must be 1–50000")]
    [InlineData(50_001, 256, 60, "Audit:MaxBlocksPerSegment must be 1–50000")]
    [InlineData(49_000, 0, 60, "Audit:MaxEntriesPerAppend must be 1–1000")]
    [InlineData(49_000, 256, 0, "Audit:CheckpointIntervalSeconds must be 1–3600")]
    public void Validate_KeepsSegmentsUnderTheAppendBlobLimit_AndGroupsAndCheckpointsInRange(int blocks, int entries, int seconds, string expected)
    {
        var options = new AuditOptions { ArgumentHashKey = AuditOptions.DevelopmentKey, MaxBlocksPerSegment = blocks, MaxEntriesPerAppend = entries, CheckpointIntervalSeconds = seconds };

        var result = new AuditOptionsValidator(new Environment("Development")).Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

using NeuraScale.Processing.Jobs;

namespace NeuraScale.Tests.Unit;

public sealed class JobOptionsTests
{
    [Theory]
    [InlineData(2, 15)]
    [InlineData(3, 30)]
    [InlineData(4, 60)]
    [InlineData(7, 480)]
    [InlineData(8, 600)] // capped at MaxRetryDelay
    [InlineData(30, 600)]
    public void RetryDelay_DoublesFromTheBase_UpToTheCap(int nextAttempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new JobOptions { RetryBaseDelay = TimeSpan.FromSeconds(15), MaxRetryDelay = TimeSpan.FromMinutes(10) }.RetryDelay(nextAttempt));
}

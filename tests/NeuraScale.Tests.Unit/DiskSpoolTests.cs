using NeuraScale.Domain;
using NeuraScale.EdgeRelay.Spool;
using NeuraScale.Formats;

namespace NeuraScale.Tests.Unit;

/// <summary>What the relay's heartbeat reports of its spool: how many chunks wait for storage, and since when.</summary>
public sealed class DiskSpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spool-health-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void OldestPendingSince_IsTheOldestWaitingChunksWriteTime_AndNullWhenNoneWaits()
    {
        var spool = new DiskSpool(_folder);
        Assert.Null(spool.OldestPendingSince());

        var session = SessionId.New();
        spool.Write(new SignalChunk(session, 0, 0, 250, 1, new float[250], []));
        spool.Write(new SignalChunk(session, 1, 250, 250, 1, new float[250], []));
        var old = DateTime.UtcNow.AddMinutes(-5); // spooled five minutes ago, still waiting
        File.SetLastWriteTimeUtc(Directory.EnumerateFiles(_folder, "*.nsck", SearchOption.AllDirectories).Order().First(), old);

        Assert.Equal(2, spool.PendingSequences().Count);
        Assert.Equal(new DateTimeOffset(old, TimeSpan.Zero), spool.OldestPendingSince());

        spool.Delete(0);
        spool.Delete(1);
        Assert.Null(spool.OldestPendingSince());
    }
}

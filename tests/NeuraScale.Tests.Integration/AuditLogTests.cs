using System.Diagnostics;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Storage;
using NeuraScale.Storage.Audit;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The audit log at scale and under attack, on Azurite: past the 50,000 blocks one append blob holds, with writers
/// appending concurrently; and every way someone with write access to the container could hide an entry — editing,
/// re-sealing, cutting the tail, removing a segment — found by verification.
/// </summary>
public sealed class AuditLogTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PastTheAppendBlobBlockLimit_WithConcurrentWriters_NoEntryIsLost_AndEveryChainVerifies()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        const int Writers = 4, PerWriter = 13_000, CallersPerWriter = 32; // 52,000 entries: past what one append blob holds
        var options = new AuditOptions { ArgumentHashKey = AzuriteFixture.TestAuditKey, MaxBlocksPerSegment = 250, MaxEntriesPerAppend = 64 };
        var logs = Enumerable.Range(0, Writers).Select(_ => NewLog(clients, TimeProvider.System, options)).ToArray();

        var clock = Stopwatch.StartNew();
        var written = await Task.WhenAll(logs.Select(log => Task.WhenAll(Enumerable.Range(0, CallersPerWriter).Select(async caller =>
        {
            var mine = new List<AuditEntry>();
            for (var i = caller; i < PerWriter; i += CallersPerWriter)
            {
                mine.Add(await log.AppendAsync(Entry($"key:caller{caller}", "tools/call:query_sessions"), Ct));
            }

            return mine;
        }))));
        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"{Writers * PerWriter} entries in {clock.Elapsed.TotalSeconds:0.0} s: {Writers * PerWriter / clock.Elapsed.TotalSeconds:0} entries/s with {Writers} writers × {CallersPerWriter} callers");

        foreach (var (log, perCaller) in logs.Zip(written))
        {
            var sequences = perCaller.SelectMany(c => c).Select(e => e.Sequence).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, PerWriter).Select(i => (long)i), sequences); // every caller got its own, durable entry
            Assert.All(perCaller.SelectMany(c => c), e => Assert.Equal(log.Writer, e.Writer));
            await log.DisposeAsync();
        }

        var layout = await new AuditArchive(clients).ListAsync(Ct);
        Assert.Equal(Writers, layout.Count);
        Assert.All(layout.Values, w => Assert.True(w.Segments.Count > 1, $"writer {w.Writer} never rolled over to a new segment"));

        var verification = await NewLog(clients, TimeProvider.System, options).VerifyAsync(Ct);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(Writers * PerWriter, verification.Entries);
        Assert.Equal(Writers, verification.Writers);
    }

    [Fact]
    public async Task Tampering_ByAnyoneWithoutTheAuditSecret_IsFound_ExactlyWhereItHappened()
    {
        // Each case starts from the same honest log: 30 entries, 5 per segment, closed cleanly (checkpoint at 30).
        Assert.Contains("entry 12 was altered", await TamperedAsync(async (segments, _) =>
        {
            // Edit an entry and re-seal it and everything after with a key of one's own: links hold, keyed hashes do not.
            var forger = new AuditChain("someone-elses-key-of-sufficient-length-000");
            var entries = (await segments.ReadAllAsync()).Select(l => AuditChain.Parse(l)!).ToList();
            var previous = entries[10].Hash;
            for (var i = 11; i < entries.Count; i++)
            {
                entries[i] = forger.Seal(entries[i] with { Outcome = i == 11 ? "ok" : entries[i].Outcome, Caller = i == 11 ? "key:innocent" : entries[i].Caller, PreviousHash = previous });
                previous = entries[i].Hash;
            }

            await segments.RewriteAsync(entries.Select(e => Encoding.UTF8.GetString(AuditChain.Line(e)).TrimEnd('\n')).ToList());
        }), StringComparison.Ordinal);

        Assert.Contains("entries 26–30 were removed", await TamperedAsync((segments, _) => segments.DeleteAsync(6)), StringComparison.Ordinal);
        Assert.Contains("entries 29–30 were removed", await TamperedAsync(async (segments, _) =>
        {
            var lines = await segments.ReadAllAsync();
            await segments.RewriteAsync(lines.Take(28).ToList());
        }), StringComparison.Ordinal);
        Assert.Contains("segment 3 is missing", await TamperedAsync((segments, _) => segments.DeleteAsync(3)), StringComparison.Ordinal);
        Assert.Contains("entry 8 is missing or out of place", await TamperedAsync(async (segments, _) =>
        {
            var lines = (await segments.ReadAllAsync()).ToList();
            (lines[7], lines[8]) = (lines[8], lines[7]);
            await segments.RewriteAsync(lines);
        }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASegmentSomeoneElseAppendedTo_IsLeftBehind_TheWriterCarriesOn_AndVerificationNamesTheForeignLine()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var log = NewLog(clients, time, new AuditOptions { ArgumentHashKey = AzuriteFixture.TestAuditKey, MaxEntriesPerAppend = 1 });
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(Entry("key:a", "tools/call:get_neural_data"), Ct);
        }

        // While idle, the head is checkpointed once the interval has passed (time moved, not waited for).
        time.Advance(TimeSpan.FromSeconds(61));
        var archive = new AuditArchive(clients);
        for (var polls = 0; !(await archive.ListAsync(Ct)).Values.Single().Checkpoints.ContainsKey(5); polls++)
        {
            Assert.True(polls < 200, "no checkpoint was written after the interval passed");
            await Task.Delay(25, Ct); // storage catching up, not time passing: the clock is fake
        }

        var segment = clients.Blobs.GetBlobContainerClient(clients.Options.AuditContainer).GetAppendBlobClient(AuditLines.SegmentName(log.Writer, 1));
        using (var junk = new MemoryStream(Encoding.UTF8.GetBytes("{\"not\":\"an entry\"}\n")))
        {
            await segment.AppendBlockAsync(junk, cancellationToken: Ct);
        }

        var after = await log.AppendAsync(Entry("key:a", "tools/call:get_neural_data"), Ct);
        Assert.Equal(6, after.Sequence); // served without a gap, from a new segment
        Assert.Equal([1, 2], (await archive.ListAsync(Ct)).Values.Single().Segments);

        var verification = await log.VerifyAsync(Ct);
        Assert.False(verification.Intact);
        Assert.Equal(6, verification.FirstBrokenSequence);
        Assert.Contains("the line after entry 5 in segment 1 is not a valid audit entry", verification.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileStorageRefusesWrites_CallsFailFast_AndWhenItRecovers_TheChainContinuesIntact()
    {
        var options = azurite.IsolatedOptions();
        var clients = StorageServiceCollectionExtensions.CreateClients(options); // the audit container does not exist yet
        await using var log = NewLog(clients, TimeProvider.System, new AuditOptions { ArgumentHashKey = AzuriteFixture.TestAuditKey });

        var refused = await Assert.ThrowsAsync<AuditUnavailableException>(() => log.AppendAsync(Entry("key:a", "tools/call:get_neural_data"), Ct));
        Assert.Contains("could not record this call", refused.Message, StringComparison.Ordinal);

        await clients.EnsureCreatedAsync(Ct);
        var first = await log.AppendAsync(Entry("key:a", "tools/call:get_neural_data"), Ct);
        var second = await log.AppendAsync(Entry("key:a", "tools/call:get_neural_data"), Ct);

        Assert.Equal((1, 2), (first.Sequence, second.Sequence)); // the refused call took no place in the chain
        var verification = await log.VerifyAsync(Ct);
        Assert.True(verification.Intact, verification.Detail);
        Assert.Equal(2, verification.Entries);
    }

    private async Task<string> TamperedAsync(Func<Segments, AuditChain, Task> tamper)
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var options = new AuditOptions { ArgumentHashKey = AzuriteFixture.TestAuditKey, MaxBlocksPerSegment = 5, MaxEntriesPerAppend = 1 };
        string writer;
        await using (var log = NewLog(clients, TimeProvider.System, options))
        {
            writer = log.Writer;
            for (var i = 1; i <= 30; i++)
            {
                await log.AppendAsync(Entry(i == 12 ? "key:mallory" : "key:a", "tools/call:get_neural_data", i == 12 ? "forbidden" : "ok"), Ct);
            }
        }

        var honest = await NewLog(clients, TimeProvider.System, options).VerifyAsync(Ct);
        Assert.True(honest.Intact, honest.Detail);
        await tamper(new Segments(clients, writer), new AuditChain(AzuriteFixture.TestAuditKey));
        var found = await NewLog(clients, TimeProvider.System, options).VerifyAsync(Ct);
        Assert.False(found.Intact, "tampering went unnoticed");
        Assert.Equal(writer, found.FirstBrokenWriter);
        return found.Detail;
    }

    private static AuditLog NewLog(StorageClients clients, TimeProvider time, AuditOptions options) =>
        new(clients, time, Options.Create(options), NullLogger<AuditLog>.Instance);

    private static AuditEntry Entry(string caller, string action, string outcome = "ok") =>
        new() { Caller = caller, Action = action, Outcome = outcome, LatencyMs = 1.5, Resources = ["psn_aaaaaaaaaaaaaaaa"] };

    /// <summary>A writer's segments as an attacker with write access to the container sees them.</summary>
    private sealed class Segments(StorageClients clients, string writer)
    {
        private const int PerSegment = 5;

        public async Task<List<string>> ReadAllAsync()
        {
            var archive = new AuditArchive(clients);
            var lines = new List<string>();
            foreach (var segment in (await archive.ListAsync(Ct)).Values.Single().Segments)
            {
                await foreach (var line in archive.ReadLinesAsync(writer, segment, Ct))
                {
                    lines.Add(line);
                }
            }

            return lines;
        }

        /// <summary>Deletes and re-creates every segment with the given lines, five to a segment as the writer had them.</summary>
        public async Task RewriteAsync(List<string> lines)
        {
            var archive = new AuditArchive(clients);
            foreach (var segment in (await archive.ListAsync(Ct)).Values.Single().Segments)
            {
                await DeleteAsync(segment);
            }

            for (var s = 0; s * PerSegment < lines.Count; s++)
            {
                var blob = Blob(s + 1);
                await blob.CreateAsync(cancellationToken: Ct);
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines.Skip(s * PerSegment).Take(PerSegment)) + "\n"));
                await blob.AppendBlockAsync(stream, cancellationToken: Ct);
            }
        }

        public async Task DeleteAsync(int segment) => await Blob(segment).DeleteAsync(cancellationToken: Ct);

        private AppendBlobClient Blob(int segment) =>
            clients.Blobs.GetBlobContainerClient(clients.Options.AuditContainer).GetAppendBlobClient(AuditLines.SegmentName(writer, segment));
    }
}

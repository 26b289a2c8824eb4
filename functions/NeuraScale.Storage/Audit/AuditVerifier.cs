namespace NeuraScale.Storage.Audit;

/// <summary>
/// Walks every writer's chain: segments numbered without gaps, sequence numbers without gaps, each entry linked to the
/// one before and sealed under the chain key, each entry in its own writer's blobs, and every checkpoint of the writer
/// found in its chain with the same hash (so a cut tail or a rewritten chain shows even when it links).
/// </summary>
internal sealed class AuditVerifier(AuditArchive archive, AuditChain chain)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var writers = await archive.ListAsync(cancellationToken).ConfigureAwait(false);
        long total = 0;
        foreach (var writer in writers.Values)
        {
            var (entries, problem) = await VerifyWriterAsync(writer, cancellationToken).ConfigureAwait(false);
            total += entries;
            if (problem is not null)
            {
                return new AuditVerification(false, total, problem.Value.Sequence, $"Writer {writer.Writer}: {problem.Value.Detail}")
                {
                    Writers = writers.Count,
                    FirstBrokenWriter = writer.Writer,
                };
            }
        }

        var detail = total == 0 ? "The audit log is empty." : $"All {total} entries of {writers.Count} writer(s) link correctly and match their checkpoints.";
        return new AuditVerification(true, total, null, detail) { Writers = writers.Count };
    }

    private async Task<(long Entries, (long Sequence, string Detail)? Problem)> VerifyWriterAsync(AuditWriterLayout writer, CancellationToken cancellationToken)
    {
        if (writer.Strays.Count > 0)
        {
            return (0, (1, $"unexpected blob '{writer.Strays[0]}' among its segments."));
        }

        long sequence = 0;
        var previous = AuditChain.GenesisHash;
        var expectedSegment = 1;
        foreach (var segment in writer.Segments)
        {
            if (segment != expectedSegment)
            {
                return (sequence, (sequence + 1, $"segment {expectedSegment} is missing (the next present is {segment}): entries after {sequence} were removed."));
            }

            expectedSegment++;
            await foreach (var line in archive.ReadLinesAsync(writer.Writer, segment, cancellationToken).ConfigureAwait(false))
            {
                var expected = sequence + 1;
                var entry = AuditChain.Parse(line);
                if (entry is null)
                {
                    return (sequence, (expected, $"the line after entry {sequence} in segment {segment} is not a valid audit entry."));
                }

                sequence++;
                if (entry.Writer != writer.Writer)
                {
                    return (sequence, (expected, $"entry {entry.Sequence} names writer '{entry.Writer}': it was moved from another chain."));
                }

                if (entry.Sequence != expected)
                {
                    return (sequence, (expected, $"entry {expected} is missing or out of place (found {entry.Sequence}): an entry was removed, inserted or reordered."));
                }

                if (entry.PreviousHash != previous)
                {
                    return (sequence, (expected, $"entry {expected} does not link to the entry before it: an entry was removed or changed."));
                }

                if (chain.Seal(entry).Hash != entry.Hash)
                {
                    return (sequence, (expected, $"entry {expected} was altered after it was written (its keyed hash no longer matches its content)."));
                }

                if (writer.Checkpoints.TryGetValue(expected, out var checkpointed) && checkpointed != entry.Hash)
                {
                    return (sequence, (expected, $"entry {expected} differs from the checkpoint recorded for it: the chain was rewritten."));
                }

                previous = entry.Hash;
            }
        }

        if (writer.Checkpoints.Count > 0 && writer.Checkpoints.Keys.Max() is var head && head > sequence)
        {
            return (sequence, (sequence + 1, $"the chain ends at entry {sequence}, but a checkpoint records entry {head}: entries {sequence + 1}–{head} were removed."));
        }

        return (sequence, null);
    }
}

using System.Collections.Concurrent;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Catalog;

/// <summary>
/// Session rows this process read or wrote in the last <c>lifetime</c>, so that a listing of ten sessions or a page of
/// samples does not cost ten point reads of rows that have not changed. Only finished sessions (completed or
/// interrupted) are kept — a recording in progress changes every second and is always read fresh — and what this
/// process writes replaces what it kept, so the one staleness is a change made by <i>another</i> instance to a finished
/// session (a status set again, a late count), seen here at most <c>lifetime</c> later. Bounded: at
/// <c>capacity</c> entries the expired ones are dropped, and if none are, all.
/// </summary>
internal sealed class SessionRowCache(TimeProvider time, TimeSpan lifetime, int capacity)
{
    private readonly ConcurrentDictionary<SessionId, (RecordingSession Session, DateTimeOffset Expires)> _rows = new();

    public bool TryGet(SessionId id, out RecordingSession session)
    {
        session = null!;
        if (!_rows.TryGetValue(id, out var entry))
        {
            return false;
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _rows.TryRemove(new KeyValuePair<SessionId, (RecordingSession, DateTimeOffset)>(id, entry));
            return false;
        }

        session = entry.Session;
        return true;
    }

    /// <summary>Keeps <paramref name="session"/> if it is finished; forgets it otherwise (it changes as it records).</summary>
    public void Remember(RecordingSession session)
    {
        if (session.Status == SessionStatus.Recording)
        {
            _rows.TryRemove(session.Id, out _);
            return;
        }

        var now = time.GetUtcNow();
        if (_rows.Count >= capacity && !_rows.ContainsKey(session.Id))
        {
            foreach (var (id, entry) in _rows)
            {
                if (entry.Expires <= now)
                {
                    _rows.TryRemove(id, out _);
                }
            }

            if (_rows.Count >= capacity)
            {
                _rows.Clear();
            }
        }

        _rows[session.Id] = (session, now + lifetime);
    }
}

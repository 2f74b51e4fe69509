namespace MultiArch.Ghcr;

/// <summary>
/// Spaces deletions evenly so that at most N start in any minute, across all concurrent workers:
/// GitHub's secondary limits punish bursts of writes, and a 403 costs a minute, not a few hundred milliseconds.
/// </summary>
internal sealed class DeletionPacer(int perMinute, TimeProvider clock)
{
    readonly TimeSpan _interval = perMinute > 0 ? TimeSpan.FromMinutes(1) / perMinute : TimeSpan.Zero;
    readonly Lock _gate = new();
    DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    /// <summary>Waits until this caller's slot; returns at once when pacing is off (0 per minute).</summary>
    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero) return Task.CompletedTask;
        TimeSpan wait;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
            wait = slot - now;
        }
        return wait > TimeSpan.Zero ? Task.Delay(wait, clock, cancellationToken) : Task.CompletedTask;
    }
}

namespace MultiArch.Oci;

/// <summary>Thread-safe counters behind <see cref="RegistryTraffic"/>.</summary>
internal sealed class TrafficCounter
{
    private long _requests, _sent, _received, _retries, _tokens;

    public void Request(long bytes) { Interlocked.Increment(ref _requests); Interlocked.Add(ref _sent, bytes); }
    public void Received(long bytes) => Interlocked.Add(ref _received, bytes);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Token() => Interlocked.Increment(ref _tokens);

    public RegistryTraffic Snapshot() => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _sent),
        Interlocked.Read(ref _received), Interlocked.Read(ref _retries), Interlocked.Read(ref _tokens));
}

namespace MultiArch.Oci;

/// <summary>How the client retries 429, 5xx and broken connections: bounded attempts and bounded total time.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts per request including the first (default 6).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Delay before the first retry; doubles each time, with jitter (default 200 ms).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest single delay, including one asked for by <c>Retry-After</c> (default 10 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest time one request may spend across all its attempts (default 2 minutes).</summary>
    public TimeSpan MaxTotalTime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>No retries at all.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };
}

namespace MultiArch.Testing;

/// <summary>A fault the <see cref="FaultProxy"/> can inject.</summary>
public enum FaultKind
{
    /// <summary>Answer 500 without forwarding.</summary>
    InternalServerError,

    /// <summary>Answer 502 without forwarding.</summary>
    BadGateway,

    /// <summary>Answer 503 without forwarding.</summary>
    ServiceUnavailable,

    /// <summary>Answer 429 with <c>Retry-After</c> without forwarding.</summary>
    TooManyRequests,

    /// <summary>Forward (so the upstream does the work), then cut the connection partway through the response.</summary>
    ResetMidBody,

    /// <summary>Forward after a delay.</summary>
    Slow,
}

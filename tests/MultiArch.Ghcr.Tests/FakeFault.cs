namespace MultiArch.Ghcr.Tests;

/// <summary>A rate-limit or error answer the fake gives instead of the real one.</summary>
public enum FakeFault
{
    /// <summary>403 "You have exceeded a secondary rate limit" with <c>Retry-After: 1</c>.</summary>
    SecondaryRateLimit,

    /// <summary>403 "API rate limit exceeded" with <c>X-RateLimit-Remaining: 0</c> and a reset one second ahead.</summary>
    PrimaryRateLimit,

    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    TooManyRequests,

    /// <summary>404 "Package version not found." (a delete of a version someone else already removed).</summary>
    NotFound,

    /// <summary>500 "Server Error", GitHub's body for an internal error.</summary>
    ServerError,
}

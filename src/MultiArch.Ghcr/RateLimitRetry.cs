using SecretMasker = MultiArch.Processes.SecretMasker;
using System.Net;
using Octokit;

namespace MultiArch.Ghcr;

/// <summary>
/// Repeats a REST call after GitHub's rate-limit answers, waiting as long as GitHub asks:
/// <c>Retry-After</c> for secondary limits and 429, the reset time for the primary limit; and after 5xx answers.
/// </summary>
internal sealed class RateLimitRetry(CleanupRequest request, SecretMasker redactor)
{
    // GitHub's guidance when a secondary limit gives no Retry-After: wait at least a minute.
    static readonly TimeSpan SecondaryDefault = TimeSpan.FromMinutes(1);
    int _retries;

    /// <summary>How many calls were repeated.</summary>
    public int Retries => _retries;

    /// <summary>Runs <paramref name="call"/>, repeating it after rate-limit answers up to the configured count.</summary>
    public async Task<T> RunAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (ApiException e) when (WaitFor(e, attempt) is { } wait)
            {
                if (attempt > request.MaxRateLimitRetries || wait > request.MaxRateLimitWait)
                    throw new GhcrCleanupException(redactor.Mask((int)e.StatusCode >= 500
                        ? $"GitHub kept failing {what} with HTTP {(int)e.StatusCode} ({attempt} attempts): " +
                            "a server error on GitHub's side (not throttling); " +
                          "check https://www.githubstatus.com and run the cleanup again later."
                        : $"GitHub kept rate-limiting {what} (last wait asked: {wait.TotalSeconds:0} s after {attempt} attempts); " +
                          "run the cleanup again later or lower MaxDeletionsPerMinute."), e);
                Interlocked.Increment(ref _retries);
                await request.Log.WriteLineAsync(redactor.Mask(
                    $"GitHub {((int)e.StatusCode >= 500 ? "error" : "rate limit")} on {what} ({(int)e.StatusCode}); retrying in " +
                    $"{wait.TotalSeconds:0.#} s."));
                await Task.Delay(wait, request.Clock, cancellationToken);
            }
        }
    }

    static TimeSpan? WaitFor(ApiException e, int attempt) => e switch
    {
        SecondaryRateLimitExceededException => RetryAfter(e) ?? SecondaryDefault * Math.Min(8, 1 << (attempt - 1)),
        RateLimitExceededException primary => RetryAfter(e) ?? Max(primary.GetRetryAfterTimeSpan(), TimeSpan.FromSeconds(1)),
        _ when e.StatusCode == (HttpStatusCode)429 => RetryAfter(e) ?? SecondaryDefault,
        // GitHub's 500/502/503/504 are transient (its docs say to retry): back off 0.5 s, 1 s, 2 s ... up to 8 s.
        _ when (int)e.StatusCode is 500 or 502 or 503 or 504 => TimeSpan.FromMilliseconds(500 * Math.Min(16, 1 << (attempt - 1))),
        _ => null,
    };

    static TimeSpan? RetryAfter(ApiException e)
    {
        var headers = e.HttpResponse?.Headers;
        if (headers is null) return null;
        foreach (var (name, value) in headers)
            if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, out var seconds))
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return null;
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

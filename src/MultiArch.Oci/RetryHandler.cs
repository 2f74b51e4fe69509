using System.Net;

namespace MultiArch.Oci;

/// <summary>
/// Retries 429, 5xx and broken connections with exponential backoff and jitter, honouring <c>Retry-After</c>,
/// within a bounded number of attempts and a bounded total time. Safe because every registry operation the
/// client performs is idempotent or restarted from the beginning by its caller.
/// </summary>
internal sealed class RetryHandler(HttpMessageHandler inner, RetryPolicy policy, TimeSpan attemptTimeout, TrafficCounter counter)
    : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A streamed body cannot be replayed: one attempt, and the caller (a blob copy) starts over from the source.
        var once = request.Content is not null && request.Options.TryGetValue(RegistryClient.Streamed, out var streamed) && streamed;
        if (request.Content is not null && !once) await request.Content.LoadIntoBufferAsync(cancellationToken);
        var started = DateTimeOffset.UtcNow;
        var deadline = started + policy.MaxTotalTime;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            // Each attempt gets what is left of the request's budget, never more: a registry that accepts and never
            // answers must not hold one request longer than the documented total.
            var left = deadline - DateTimeOffset.UtcNow;
            var timeout = left < attemptTimeout ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : attemptTimeout;
            try
            {
                using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCancellation.CancelAfter(timeout);
                response = await base.SendAsync(request, attemptCancellation.Token);
                if (!IsTransient(response.StatusCode)) return response;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                failure = e is OperationCanceledException ? new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s", e) : e;
            }

            var delay = Delay(attempt, response);
            if (once || attempt >= policy.MaxAttempts || DateTimeOffset.UtcNow + delay > deadline)
            {
                if (response is not null) return response;
                var elapsed = DateTimeOffset.UtcNow - started;
                throw new HttpRequestException(failure is TimeoutException
                    ? $"timed out after {Math.Round(elapsed.TotalSeconds):0} s ({attempt} attempt{(attempt == 1 ? "" : "s")} " +
                        $"within the {policy.MaxTotalTime.TotalSeconds:0} s budget): " +
                        "the registry accepted the connection but did not answer"
                    : $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)} failed after {attempt} attempts: " +
                        $"{failure!.Message}",
                    failure);
            }
            response?.Dispose();
            counter.Retry();
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    // Broken connections and per-attempt timeouts; a cancelled caller is not retried (checked above).
    private static bool IsTransient(Exception e) => e is HttpRequestException or IOException or TaskCanceledException;

    private TimeSpan Delay(int attempt, HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        TimeSpan? asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (asked is { } wait && wait >= TimeSpan.Zero) return wait < policy.MaxDelay ? wait : policy.MaxDelay;
        var exponential = policy.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        // "Equal jitter": half fixed, half random, so concurrent clients spread out but never retry instantly.
        var jittered = exponential / 2 + Random.Shared.NextDouble() * exponential / 2;
        return TimeSpan.FromMilliseconds(Math.Min(jittered, policy.MaxDelay.TotalMilliseconds));
    }
}

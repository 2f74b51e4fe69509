using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>
/// Answers registry auth challenges: Basic, or the Bearer token flow (realm/service/scope). Tokens are cached
/// per scope until they expire, and fetched again when the registry answers 401 to a cached one.
/// </summary>
internal sealed class AuthenticationHandler(HttpMessageHandler inner, RegistryCredentials? credentials, TrafficCounter counter)
    : DelegatingHandler(inner)
{
    // The spec's default lifetime when a token endpoint omits expires_in (GHCR does).
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new();
    private readonly SemaphoreSlim _fetching = new(1, 1); // concurrent requests share one token fetch per scope
    private volatile AuthChallenge? _scheme; // the host's last challenge: lets later requests authenticate up front

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scopes = ScopesFor(request);
        var key = string.Join(' ', scopes);
        if (_scheme is { IsBearer: true } bearer && !HasFreshToken(key))
        {
            // We know the realm already: fetch the token first and save the 401 round trip.
            var failed = await FetchOnceAsync(bearer, scopes, key, null, cancellationToken);
            if (failed is not null) return failed;
        }
        Authorize(request, key);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var challenge = AuthChallenge.From(response);
        if (challenge is null || !(challenge.IsBearer || challenge.IsBasic && credentials is not null)) return response;
        _scheme = challenge;
        if (challenge.IsBearer)
        {
            // The registry's scope wins: it names exactly what this request needs (e.g. a mount's source repository).
            var asked = challenge["scope"] is { Length: > 0 } s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : scopes;
            var rejected = request.Headers.Authorization?.Parameter;
            var failed = await FetchOnceAsync(challenge, asked, key, rejected, cancellationToken);
            if (failed is not null) { response.Dispose(); return failed; }
        }
        response.Dispose();
        Authorize(request, key);
        return await base.SendAsync(request, cancellationToken);
    }

    // Fetches unless another request already got a fresh token for this scope (other than the one just rejected).
    private async Task<HttpResponseMessage?> FetchOnceAsync(AuthChallenge challenge, IEnumerable<string> scopes, string key,
        string? rejected, CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (HasFreshToken(key) && _tokens[key].Value != rejected) return null;
            return await FetchTokenAsync(challenge, scopes, key, cancellationToken);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private bool HasFreshToken(string key) =>
        _tokens.TryGetValue(key, out var token) && token.RefreshAt > DateTimeOffset.UtcNow;

    private void Authorize(HttpRequestMessage request, string key)
    {
        request.Headers.Authorization = null;
        if (_tokens.TryGetValue(key, out var token) && token.RefreshAt > DateTimeOffset.UtcNow)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        else if (_scheme is { IsBasic: true } && credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.ToBasic());
    }

    /// <summary>Gets a token into the cache; returns the token endpoint's failing response, or null on success.</summary>
    private async Task<HttpResponseMessage?> FetchTokenAsync(AuthChallenge challenge, IEnumerable<string> scopes, string key,
        CancellationToken cancellationToken)
    {
        if (challenge["realm"] is not { Length: > 0 } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            throw new OciRegistryException("The registry's Bearer challenge has no usable realm; it is not a standard registry.");
        var query = new List<string>();
        if (challenge["service"] is { Length: > 0 } service) query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        var builder = new UriBuilder(realmUri);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        // Never send a password in the clear to a remote host; loopback is fine (tests, local registries).
        if (credentials is not null && (realmUri.Scheme == Uri.UriSchemeHttps || realmUri.IsLoopback))
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.ToBasic());
        counter.Token();
        var response = await base.SendAsync(tokenRequest, cancellationToken);
        if (!response.IsSuccessStatusCode) return response;

        var started = DateTimeOffset.UtcNow;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        HtmlAnswer.ThrowIf(response, body, "the registry's token endpoint");
        using var json = JsonDocument.Parse(body);
        response.Dispose();
        var root = json.RootElement;
        var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null) is { Length: > 0 } value
            ? value
            : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
            throw new OciRegistryException($"The token endpoint {realmUri.GetLeftPart(UriPartial.Path)} answered without a token.");
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultLifetime;
        // Refresh a little early so a token does not expire between our check and the registry's.
        var margin = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, TimeSpan.FromSeconds(10).Ticks));
        _tokens[key] = new CachedToken(token, started + lifetime - margin);
        return null;
    }

    /// <summary>Releases the fetch lock along with the handler.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _fetching.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The scopes a request needs, worked out from its path and method (the registry's challenge may refine them).</summary>
    internal static string[] ScopesFor(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return [];
        foreach (var marker in new[] { "/manifests/", "/blobs/", "/tags/", "/referrers/" })
        {
            var at = path.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) continue;
            var repository = path[4..at];
            var m = request.Method;
            var actions = m == HttpMethod.Get || m == HttpMethod.Head ? "pull" : m == HttpMethod.Delete ? "delete" : "pull,push";
            var scopes = new List<string> { $"repository:{repository}:{actions}" };
            var from = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["from"];
            if (from is { Length: > 0 }) scopes.Add($"repository:{from}:pull");
            return [.. scopes];
        }
        return [];
    }
}

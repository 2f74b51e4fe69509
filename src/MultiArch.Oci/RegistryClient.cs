using System.Net;

namespace MultiArch.Oci;

/// <summary>
/// An HTTP client for one OCI registry (distribution API v2): manifests, blobs, uploads, mounts, tags and
/// referrers, with auth and retries built in. Every digest it reads is verified against the bytes.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 * 1024 * 1024; // the limit registries (and containerd) apply

    private readonly HttpClient _http;
    private readonly TrafficCounter _counter = new();
    private readonly HttpMessageHandler? _ownedWire;

    /// <summary>Creates a client for <paramref name="registry"/> (host[:port], e.g. <c>ghcr.io</c>, <c>127.0.0.1:5000</c>).</summary>
    /// <exception cref="OciInputException">The registry name is not a host.</exception>
    public RegistryClient(string registry, RegistryClientOptions? options = null)
    {
        options ??= new RegistryClientOptions();
        var host = ImageReference.Create(registry, "probe").ApiHost;
        Registry = registry;
        BaseAddress = new Uri($"{(AllowsPlainHttp(host, options.InsecureRegistries) ? "http" : "https")}://{host}/");
        var wire = options.InnerHandler ?? (_ownedWire = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var counting = new CountingHandler(new HttpMessageInvoker(wire, disposeHandler: false), _counter);
        var auth = new AuthenticationHandler(counting, options.Credentials, _counter);
        var retry = new RetryHandler(auth, options.Retry, options.RequestTimeout, _counter);
        _http = new HttpClient(retry) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    /// <summary>The registry as given, e.g. <c>ghcr.io</c>.</summary>
    public string Registry { get; }

    /// <summary>The API base address, e.g. <c>https://ghcr.io/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Everything sent and received so far.</summary>
    public RegistryTraffic Traffic => _counter.Snapshot();

    /// <summary>
    /// True when plain HTTP is allowed: loopback hosts (127.0.0.0/8, localhost, [::1]) and hosts listed as insecure.
    /// </summary>
    public static bool AllowsPlainHttp(string host, IEnumerable<string> insecureRegistries)
    {
        if (insecureRegistries.Contains(host, StringComparer.OrdinalIgnoreCase)) return true;
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Checks that the host speaks the registry API (<c>GET /v2/</c>) and that the credentials work.</summary>
    /// <exception cref="OciRegistryException">Not a registry, or authentication failed.</exception>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "v2/", null, cancellationToken);
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw AuthFailed();
        throw new OciRegistryException(
            $"{Registry} is not an OCI registry: GET /v2/ answered {(int)response.StatusCode}; check the --registry value.",
            response.StatusCode);
    }

    /// <summary>
    /// Checks that the credentials may push to <paramref name="repository"/> without writing anything: it opens a blob
    /// upload session (what every push starts with) and cancels it at once.
    /// </summary>
    /// <exception cref="OciRegistryException">Authentication failed, or push is denied.</exception>
    public async Task CheckPushAccessAsync(string repository, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw AuthFailed();
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new OciRegistryException(
                $"Push to {Registry}/{repository} is denied (HTTP 403): " +
                "the credentials lack write access to this repository (for ghcr.io: a token with write:packages, " +
                "and the package's Actions access).",
                response.StatusCode);
        await EnsureSuccessAsync(response, $"check push access to {repository}");
        // The session holds nothing yet; closing it leaves the registry as it was. A registry that cannot cancel is fine.
        if (response.Headers.Location is { } location)
        {
            try { using var _ = await SendAsync(HttpMethod.Delete, location.ToString(), null, cancellationToken); }
            catch (OciRegistryException) { }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new OciRegistryException($"{method} {Registry}/{path.Split('?')[0].Replace(BaseAddress.ToString(), "")} " +
                $"failed: {e.Message}", null, e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string operation)
    {
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw AuthFailed();
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new OciRegistryException(
                $"{operation} on {Registry} was denied (HTTP 403): the credentials lack permission for this repository.",
                response.StatusCode);
        throw new OciRegistryException(
            $"{operation} on {Registry} failed: HTTP {(int)response.StatusCode}{await RegistryError.DescribeAsync(response)}.",
            response.StatusCode);
    }

    private OciRegistryException AuthFailed() => new(
        $"Authentication to {Registry} failed (HTTP 401): check the username and password or token for this registry.",
        HttpStatusCode.Unauthorized);

    private OciRegistryException Mismatch(string repository, string reference, Digest actual) => new(
        $"{Registry}/{repository}{Separator(reference)}{reference}: the registry returned content with digest {actual}, " +
        "which is not what was asked for.");

    private static string Separator(string reference) => reference.Contains(':') ? "@" : ":";

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Disposes the HTTP pipeline (but not a caller-supplied inner handler).</summary>
    public void Dispose()
    {
        _http.Dispose();
        _ownedWire?.Dispose();
    }
}

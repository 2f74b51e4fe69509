using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

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
            throw new OciRegistryException($"Push to {Registry}/{repository} is denied (HTTP 403): the credentials lack write access to this repository (for ghcr.io: a token with write:packages, and the package's Actions access).", response.StatusCode);
        EnsureSuccess(response, $"check push access to {repository}");
        // The session holds nothing yet; closing it leaves the registry as it was. A registry that cannot cancel is fine.
        if (response.Headers.Location is { } location)
        {
            try { using var _ = await SendAsync(HttpMethod.Delete, location.ToString(), null, cancellationToken); }
            catch (OciRegistryException) { }
        }
    }

    /// <summary>Looks a manifest up without downloading it; null when the registry does not have it.</summary>
    /// <param name="repository">Repository path, e.g. <c>acme/app</c>.</param>
    /// <param name="reference">A tag or a digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, ManifestPath(repository, reference),
            AcceptManifests,
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response, $"HEAD manifest {repository}:{reference}");
        if (!Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out var digest))
        {
            // Some registries omit the digest on HEAD; the GET computes it from the bytes.
            var document = await GetManifestAsync(repository, reference, cancellationToken);
            return document.ToDescriptor();
        }
        if (Digest.TryParse(reference, out var asked) && asked != digest)
            throw Mismatch(repository, reference, digest);
        return new Descriptor(response.Content.Headers.ContentType?.MediaType ?? "", digest,
            response.Content.Headers.ContentLength ?? -1);
    }

    /// <summary>Downloads a manifest as exact bytes, verifying its digest against the registry's header and the reference.</summary>
    /// <exception cref="OciRegistryException">Not found, too large, or the digest does not match.</exception>
    public async Task<ManifestDocument> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, ManifestPath(repository, reference),
            AcceptManifests,
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new OciRegistryException(
                $"{Registry}/{repository}{Separator(reference)}{reference} does not exist in the registry; push it first or fix the reference.",
                HttpStatusCode.NotFound);
        EnsureSuccess(response, $"GET manifest {repository}:{reference}");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        HtmlAnswer.ThrowIf(response, bytes, "a registry");
        if (bytes.Length > MaxManifestBytes)
            throw new OciRegistryException($"Manifest {repository}{Separator(reference)}{reference} is larger than 4 MiB.");
        var document = ManifestDocument.FromBytes(bytes, response.Content.Headers.ContentType?.MediaType);
        if (Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out var header) && header.Algorithm == "sha256" &&
            header != document.Digest)
            throw Mismatch(repository, reference, document.Digest);
        if (Digest.TryParse(reference, out var asked) && !asked.Matches(bytes))
            throw Mismatch(repository, reference, document.Digest);
        return document;
    }

    /// <summary>Uploads a manifest under a tag or its digest. Idempotent: the same bytes give the same digest.</summary>
    /// <returns>The digest the registry stored, checked against the bytes.</returns>
    public async Task<Digest> PutManifestAsync(string repository, string reference, ManifestDocument manifest,
        CancellationToken cancellationToken = default)
    {
        await PutAsync(repository, reference, manifest, cancellationToken);
        return manifest.Digest;
    }

    /// <summary>
    /// Uploads a manifest that has a <c>subject</c> by its digest. Returns true when the registry indexed it for the
    /// referrers API (it answers with an <c>OCI-Subject</c> header, OCI distribution spec 1.1); false means the caller
    /// keeps the <c>sha256-&lt;hex&gt;</c> tag-schema index itself.
    /// </summary>
    public async Task<bool> PutReferrerAsync(string repository, ManifestDocument manifest, CancellationToken cancellationToken = default) =>
        await PutAsync(repository, manifest.Digest.ToString(), manifest, cancellationToken) is not null;

    // Returns the OCI-Subject header of the answer, or null.
    private async Task<string?> PutAsync(string repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        if (Digest.TryParse(reference, out var asked) && asked != manifest.Digest)
            throw new ArgumentException($"Manifest digest {manifest.Digest} does not match reference {reference}.", nameof(reference));
        using var response = await SendAsync(HttpMethod.Put, ManifestPath(repository, reference), r =>
        {
            r.Content = new ReadOnlyMemoryContent(manifest.Bytes);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        }, cancellationToken);
        EnsureSuccess(response, $"PUT manifest {repository}:{reference}");
        if (Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out var stored) && stored != manifest.Digest)
            throw Mismatch(repository, reference, stored);
        return HeaderValue(response, "OCI-Subject");
    }

    /// <summary>Deletes a manifest by digest. Returns false when it was already gone (so a retried delete is harmless).</summary>
    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, ManifestPath(repository, digest.ToString()), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        EnsureSuccess(response, $"DELETE manifest {repository}@{digest}");
        return true;
    }

    /// <summary>True when the repository has the blob.</summary>
    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        EnsureSuccess(response, $"HEAD blob {repository}@{digest}");
        return true;
    }

    /// <summary>Downloads a blob (typically an image config), verifying its digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new OciRegistryException($"Blob {Registry}/{repository}@{digest} does not exist in the registry.", HttpStatusCode.NotFound);
        EnsureSuccess(response, $"GET blob {repository}@{digest}");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!digest.Matches(bytes)) throw Mismatch(repository, digest.ToString(), Digest.Compute(bytes));
        return bytes;
    }

    /// <summary>
    /// Uploads a blob unless the repository already has it: in one request body, or in chunks of
    /// <paramref name="chunkSize"/> bytes. A failed upload is restarted from the beginning (uploads are not resumable
    /// after a lost response), a bounded number of times.
    /// </summary>
    public async Task<Descriptor> PushBlobAsync(string repository, ReadOnlyMemory<byte> content, string mediaType,
        int? chunkSize = null, CancellationToken cancellationToken = default)
    {
        var digest = Digest.Compute(content.Span);
        var descriptor = new Descriptor(mediaType, digest, content.Length);
        for (var attempt = 1; ; attempt++)
        {
            if (await BlobExistsAsync(repository, digest, cancellationToken)) return descriptor;
            try
            {
                await UploadAsync(repository, content, digest, chunkSize, cancellationToken);
                return descriptor;
            }
            catch (OciRegistryException e) when (attempt < 3 && !cancellationToken.IsCancellationRequested &&
                                                 e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                // Fall through: check existence again (the lost response may have been a success) and restart.
            }
        }
    }

    /// <summary>
    /// Mounts a blob from another repository of the same registry, so nothing is uploaded.
    /// Returns false when the registry cannot mount it (the caller then uploads).
    /// </summary>
    public async Task<bool> MountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post,
            $"v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        EnsureSuccess(response, $"mount blob {digest} from {fromRepository} into {repository}");
        // 202: the registry opened a normal upload instead; cancel it so it does not linger.
        if (response.Headers.Location is { } location)
            using (await SendAsync(HttpMethod.Delete, location.ToString(), null, cancellationToken)) { }
        return false;
    }

    /// <summary>All tags of a repository, following <c>Link</c> pagination; empty when the repository does not exist.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, int pageSize = 1000, CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/{repository}/tags/list?n={pageSize}", "tags", $"list tags of {repository}", cancellationToken);

    /// <summary>All repositories of the registry (<c>/v2/_catalog</c>), following <c>Link</c> pagination.</summary>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(int pageSize = 1000, CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/_catalog?n={pageSize}", "repositories", "list repositories", cancellationToken);

    private async Task<IReadOnlyList<string>> ListPagedAsync(string first, string property, string operation, CancellationToken cancellationToken)
    {
        var items = new List<string>();
        string? next = first;
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && items.Count == 0) return items;
            EnsureSuccess(response, operation);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            HtmlAnswer.ThrowIf(response, body, "a registry");
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
                items.AddRange(list.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            next = LinkHeader.Next(response);
        }
        return items;
    }

    /// <summary>
    /// Manifests whose <c>subject</c> is <paramref name="digest"/> (signatures, SBOMs), following <c>Link</c> pagination.
    /// Registries without the referrers API are read through the <c>sha256-&lt;hex&gt;</c> tag schema.
    /// </summary>
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var referrers = new List<Descriptor>();
        string? next = $"v2/{repository}/referrers/{digest}";
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && referrers.Count == 0)
                return await ReferrersFromTagSchemaAsync(repository, digest, cancellationToken);
            EnsureSuccess(response, $"list referrers of {repository}@{digest}");
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            HtmlAnswer.ThrowIf(response, body, "a registry");
            var index = ImageIndex.Parse(body);
            referrers.AddRange(index.Manifests);
            next = LinkHeader.Next(response);
        }
        return referrers;
    }

    private async Task<IReadOnlyList<Descriptor>> ReferrersFromTagSchemaAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var tag = $"{digest.Algorithm}-{digest.Hex}";
        if (await HeadManifestAsync(repository, tag, cancellationToken) is null) return [];
        var document = await GetManifestAsync(repository, tag, cancellationToken);
        return document.IsIndex ? document.AsIndex().Manifests : [];
    }

    private async Task UploadAsync(string repository, ReadOnlyMemory<byte> content, Digest digest, int? chunkSize, CancellationToken cancellationToken)
    {
        Uri location;
        using (var start = await SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", null, cancellationToken))
        {
            EnsureSuccess(start, $"start upload to {repository}");
            location = UploadLocation(start);
        }
        if (chunkSize is { } size && size > 0 && content.Length > size)
        {
            for (var offset = 0; offset < content.Length; offset += size)
            {
                var chunk = content.Slice(offset, Math.Min(size, content.Length - offset));
                using var patch = await SendAsync(HttpMethod.Patch, location.ToString(), r =>
                {
                    r.Content = new ReadOnlyMemoryContent(chunk);
                    r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    r.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
                }, cancellationToken);
                EnsureSuccess(patch, $"upload chunk to {repository}");
                location = UploadLocation(patch);
            }
            content = ReadOnlyMemory<byte>.Empty;
        }
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var finish = await SendAsync(HttpMethod.Put, $"{location}{separator}digest={digest}", r =>
        {
            r.Content = new ReadOnlyMemoryContent(content);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }, cancellationToken);
        EnsureSuccess(finish, $"finish upload of {digest} to {repository}");
    }

    private Uri UploadLocation(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? new Uri(BaseAddress, location)
            : throw new OciRegistryException($"{Registry} answered an upload without a Location header; it is not a standard registry.");

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
            throw new OciRegistryException($"{method} {Registry}/{path.Split('?')[0].Replace(BaseAddress.ToString(), "")} failed: {e.Message}", null, e);
        }
    }

    private void EnsureSuccess(HttpResponseMessage response, string operation)
    {
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw AuthFailed();
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new OciRegistryException(
                $"{operation} on {Registry} was denied (HTTP 403): the credentials lack permission for this repository.", response.StatusCode);
        throw new OciRegistryException(
            $"{operation} on {Registry} failed: HTTP {(int)response.StatusCode}{RegistryError.Describe(response)}.", response.StatusCode);
    }

    private OciRegistryException AuthFailed() => new(
        $"Authentication to {Registry} failed (HTTP 401): check the username and password or token for this registry.",
        HttpStatusCode.Unauthorized);

    private OciRegistryException Mismatch(string repository, string reference, Digest actual) => new(
        $"{Registry}/{repository}{Separator(reference)}{reference}: the registry returned content with digest {actual}, which is not what was asked for.");

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var mediaType in MediaTypes.AllManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
    }

    private static string ManifestPath(string repository, string reference) => $"v2/{repository}/manifests/{reference}";

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

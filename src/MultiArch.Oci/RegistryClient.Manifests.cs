using System.Net;
using System.Net.Http.Headers;

namespace MultiArch.Oci;

// Manifests: look up, download (digest-verified), upload, delete, and the referrers that point at one.
public sealed partial class RegistryClient
{
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
        await EnsureSuccessAsync(response, $"HEAD manifest {repository}:{reference}");
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
                $"{Registry}/{repository}{Separator(reference)}{reference} does not exist in the registry; " +
                "push it first or fix the reference.",
                HttpStatusCode.NotFound);
        await EnsureSuccessAsync(response, $"GET manifest {repository}:{reference}");
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
    private async Task<string?> PutAsync(string repository, string reference, ManifestDocument manifest,
        CancellationToken cancellationToken)
    {
        if (Digest.TryParse(reference, out var asked) && asked != manifest.Digest)
            throw new ArgumentException($"Manifest digest {manifest.Digest} does not match reference {reference}.", nameof(reference));
        using var response = await SendAsync(HttpMethod.Put, ManifestPath(repository, reference), r =>
        {
            r.Content = new ReadOnlyMemoryContent(manifest.Bytes);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        }, cancellationToken);
        await EnsureSuccessAsync(response, $"PUT manifest {repository}:{reference}");
        if (Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out var stored) && stored != manifest.Digest)
            throw Mismatch(repository, reference, stored);
        return HeaderValue(response, "OCI-Subject");
    }

    /// <summary>Deletes a manifest by digest. Returns false when it was already gone (so a retried delete is harmless).</summary>
    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, ManifestPath(repository, digest.ToString()), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, $"DELETE manifest {repository}@{digest}");
        return true;
    }

    /// <summary>
    /// Manifests whose <c>subject</c> is <paramref name="digest"/> (signatures, SBOMs), following <c>Link</c> pagination.
    /// Registries without the referrers API are read through the <c>sha256-&lt;hex&gt;</c> tag schema.
    /// </summary>
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest,
        CancellationToken cancellationToken = default)
    {
        var referrers = new List<Descriptor>();
        string? next = $"v2/{repository}/referrers/{digest}";
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && referrers.Count == 0)
                return await ReferrersFromTagSchemaAsync(repository, digest, cancellationToken);
            await EnsureSuccessAsync(response, $"list referrers of {repository}@{digest}");
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            HtmlAnswer.ThrowIf(response, body, "a registry");
            var index = ImageIndex.Parse(body);
            referrers.AddRange(index.Manifests);
            next = LinkHeader.Next(response);
        }
        return referrers;
    }

    private async Task<IReadOnlyList<Descriptor>> ReferrersFromTagSchemaAsync(string repository, Digest digest,
        CancellationToken cancellationToken)
    {
        var tag = $"{digest.Algorithm}-{digest.Hex}";
        if (await HeadManifestAsync(repository, tag, cancellationToken) is null) return [];
        var document = await GetManifestAsync(repository, tag, cancellationToken);
        return document.IsIndex ? document.AsIndex().Manifests : [];
    }

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var mediaType in MediaTypes.AllManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
    }

    private static string ManifestPath(string repository, string reference) => $"v2/{repository}/manifests/{reference}";
}

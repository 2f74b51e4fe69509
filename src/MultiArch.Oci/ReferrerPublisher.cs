using System.Text;

namespace MultiArch.Oci;

/// <summary>
/// Attaches an artifact (a provenance statement, an SBOM) to an image as an OCI 1.1 referrer: an image manifest with
/// <c>artifactType</c>, the empty config, one layer holding the artifact, and <c>subject</c> = the image. The image's
/// index is not touched, so it keeps listing only real platforms.
/// </summary>
public static class ReferrerPublisher
{
    /// <summary>
    /// The empty JSON object, the content of the OCI empty descriptor (image-spec 1.1, "Guidance for an Empty
    /// Descriptor").
    /// </summary>
    public static ReadOnlyMemory<byte> EmptyJson { get; } = Encoding.UTF8.GetBytes("{}");

    /// <summary>
    /// Pushes <paramref name="artifact"/> as a referrer of <paramref name="subject"/>, by digest. When the registry does not
    /// index referrers itself (no <c>OCI-Subject</c> on the manifest PUT; distribution 2.8 has none), it also adds the
    /// referrer to the <c>sha256-&lt;hex&gt;</c> tag-schema index, merged with what that tag already lists.
    /// Idempotent: the same artifact gives the same manifest and is listed once.
    /// </summary>
    /// <param name="client">The registry holding <paramref name="subject"/>.</param>
    /// <param name="repository">The repository, e.g. <c>acme/app</c>.</param>
    /// <param name="subject">The image manifest the artifact is about.</param>
    /// <param name="artifact">The artifact bytes.</param>
    /// <param name="artifactType">The artifact type, also the layer's media type, e.g. <c>application/vnd.in-toto+json</c>.</param>
    /// <param name="annotations">Manifest annotations (copied into the referrers index entry), or null.</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    /// <returns>The referrer manifest's descriptor, as a referrers list shows it.</returns>
    public static async Task<Descriptor> AttachAsync(RegistryClient client, string repository, Descriptor subject,
        ReadOnlyMemory<byte> artifact, string artifactType, IReadOnlyDictionary<string, string>? annotations = null,
        CancellationToken cancellationToken = default)
    {
        var config = await client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty, cancellationToken: cancellationToken);
        var layer = await client.PushBlobAsync(repository, artifact, artifactType, cancellationToken: cancellationToken);
        var manifest = new ImageManifest(MediaTypes.OciManifest, config, [layer])
        {
            ArtifactType = artifactType,
            // Only what identifies the subject: a platform or annotations here would make the manifest depend on how the caller found it.
            Subject = new Descriptor(subject.MediaType, subject.Digest, subject.Size),
            Annotations = annotations,
        };
        var document = ManifestDocument.FromBytes(manifest.ToJson(), MediaTypes.OciManifest);
        var referrer = document.ToDescriptor() with { ArtifactType = artifactType, Annotations = annotations };
        if (!await client.PutReferrerAsync(repository, document, cancellationToken))
            await AddToTagSchemaAsync(client, repository, subject.Digest, referrer, cancellationToken);
        return referrer;
    }

    /// <summary>The referrers tag schema's tag for <paramref name="subject"/>: <c>&lt;alg&gt;-&lt;hex&gt;</c>.</summary>
    public static string FallbackTag(Digest subject) => $"{subject.Algorithm}-{subject.Hex}";

    internal static async Task AddToTagSchemaAsync(RegistryClient client, string repository, Digest subject, Descriptor referrer,
        CancellationToken cancellationToken)
    {
        var tag = FallbackTag(subject);
        IReadOnlyList<Descriptor> listed = [];
        if (await client.HeadManifestAsync(repository, tag, cancellationToken) is not null)
        {
            var existing = await client.GetManifestAsync(repository, tag, cancellationToken);
            if (!existing.IsIndex)
                throw new OciRegistryException(
                    $"{client.Registry}/{repository}:{tag} is not an index, so it cannot list referrers; " +
                    "delete that tag (the referrers tag schema reserves it).");
            listed = existing.AsIndex().Manifests;
        }
        if (listed.Any(d => d.Digest == referrer.Digest)) return;
        var index = new ImageIndex(MediaTypes.OciIndex, [.. listed, referrer]);
        await client.PutManifestAsync(repository, tag, ManifestDocument.FromBytes(index.ToJson(), MediaTypes.OciIndex), cancellationToken);
    }
}

using System.Text;
using MultiArch.Oci;

namespace MultiArch.Testing;

/// <summary>
/// Creates real images in a registry with the client itself: random layers of a chosen size and a config that
/// names the platform. Deterministic for a given seed, so two runs produce the same digests.
/// </summary>
public static class TestImages
{
    /// <summary>Pushes a single-platform image and returns its manifest.</summary>
    /// <param name="client">Client for the target registry.</param>
    /// <param name="repository">Repository, e.g. <c>demo/app</c>.</param>
    /// <param name="platform">Platform written into the config.</param>
    /// <param name="layerBytes">Total layer size; split into <paramref name="layers"/> random layers.</param>
    /// <param name="tag">Optional tag (the manifest is always pushed by digest too).</param>
    /// <param name="layers">Number of layers.</param>
    /// <param name="docker">Use Docker schema 2 media types instead of OCI.</param>
    /// <param name="seed">Random seed; the same seed and platform give the same image.</param>
    /// <param name="configPlatform">A different platform to write into the config (to build a mislabelled image).</param>
    /// <param name="chunkSize">Upload layers in chunks of this size (null: one request body).</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    public static async Task<ManifestDocument> PushImageAsync(RegistryClient client, string repository, Platform platform,
        long layerBytes = 4096, string? tag = null, int layers = 1, bool docker = false, int seed = 1,
        Platform? configPlatform = null, int? chunkSize = null, CancellationToken cancellationToken = default)
    {
        var random = new Random(StableSeed(seed, platform));
        var layerDescriptors = new List<Descriptor>();
        for (var i = 0; i < layers; i++)
        {
            var size = (int)(layerBytes / layers + (i == layers - 1 ? layerBytes % layers : 0));
            var content = new byte[size];
            random.NextBytes(content);
            // Random bytes are not a real tar, but registries store blobs without looking inside them.
            layerDescriptors.Add(await client.PushBlobAsync(repository, content,
                docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, chunkSize, cancellationToken));
        }
        var config = ImageConfig.Create(configPlatform ?? platform, layerDescriptors.Select(l => l.Digest));
        var configDescriptor = await client.PushBlobAsync(repository, config,
            docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, cancellationToken: cancellationToken);
        var manifest = new ImageManifest(docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest, configDescriptor, layerDescriptors);
        var document = ManifestDocument.FromBytes(manifest.ToJson(), manifest.MediaType);
        await client.PutManifestAsync(repository, document.Digest.ToString(), document, cancellationToken);
        if (tag is not null) await client.PutManifestAsync(repository, tag, document, cancellationToken);
        return document;
    }

    /// <summary>
    /// Pushes one image per platform under its per-arch tag (<c>{version}-{pair}</c>), as the PushArch legs do, and
    /// returns the digest records a merge reads.
    /// </summary>
    public static async Task<List<DigestRecord>> PushPlatformsAsync(RegistryClient client, string repository,
        IEnumerable<Platform> platforms, bool docker = false, int seed = 1, string version = "1.2.3")
    {
        var records = new List<DigestRecord>();
        foreach (var platform in platforms)
        {
            var tag = $"{version}-{platform.Pair}";
            var image = await PushImageAsync(client, repository, platform, tag: tag, docker: docker, seed: seed);
            records.Add(new DigestRecord(ImageReference.Parse($"{client.Registry}/{repository}"), image.Digest, platform, tag,
                image.MediaType, image.Bytes.Length));
        }
        return records;
    }

    /// <summary>
    /// Pushes what <c>docker buildx build --platform ...</c> pushes by default: an OCI index holding one image per
    /// platform plus, for each, an attestation manifest (<c>unknown/unknown</c>, <c>vnd.docker.reference.*</c>).
    /// </summary>
    public static async Task<ManifestDocument> PushIndexWithAttestationsAsync(RegistryClient client, string repository,
        IEnumerable<Platform> platforms, string? tag = null, int seed = 1, CancellationToken cancellationToken = default)
    {
        var children = new List<Descriptor>();
        foreach (var platform in platforms)
        {
            var image = await PushImageAsync(client, repository, platform, seed: seed, cancellationToken: cancellationToken);
            children.Add(image.ToDescriptor(platform));
            var attestation = await PushAttestationAsync(client, repository, image.Digest, cancellationToken);
            children.Add(attestation.ToDescriptor(Platform.Unknown) with
            {
                Annotations = new Dictionary<string, string>
                {
                    [Annotations.DockerReferenceDigest] = image.Digest.ToString(),
                    [Annotations.DockerReferenceType] = Annotations.AttestationManifest,
                },
            });
        }
        var index = new ImageIndex(MediaTypes.OciIndex, children);
        var document = ManifestDocument.FromBytes(index.ToJson(), MediaTypes.OciIndex);
        await client.PutManifestAsync(repository, document.Digest.ToString(), document, cancellationToken);
        if (tag is not null) await client.PutManifestAsync(repository, tag, document, cancellationToken);
        return document;
    }

    // HashCode is randomized per process; this must not be, or re-runs would push different images.
    private static int StableSeed(int seed, Platform platform) =>
        platform.ToString().Aggregate(seed, (hash, c) => unchecked(hash * 31 + c)) & int.MaxValue;

    private static async Task<ManifestDocument> PushAttestationAsync(RegistryClient client, string repository, Digest subject,
        CancellationToken cancellationToken)
    {
        var statement = Encoding.UTF8.GetBytes(
            """{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":"""
            + $$$"""[{"name":"image","digest":{"sha256":"{{{subject.Hex}}}"}}],"predicate":{}}""");
        var layer = await client.PushBlobAsync(repository, statement, "application/vnd.in-toto+json", cancellationToken: cancellationToken);
        var config = await client.PushBlobAsync(repository, "{}"u8.ToArray(), MediaTypes.OciConfig, cancellationToken: cancellationToken);
        var manifest = new ImageManifest(MediaTypes.OciManifest, config,
            [layer with
            {
                Annotations = new Dictionary<string, string> { ["in-toto.io/predicate-type"] = "https://slsa.dev/provenance/v0.2" },
            }]);
        var document = ManifestDocument.FromBytes(manifest.ToJson(), MediaTypes.OciManifest);
        await client.PutManifestAsync(repository, document.Digest.ToString(), document, cancellationToken);
        return document;
    }
}

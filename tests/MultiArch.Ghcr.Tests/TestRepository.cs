using System.Security.Cryptography;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Ghcr.Tests;

/// <summary>
/// Pushes small but real images, attestations, referrers and indexes into one repository of a real registry,
/// and lists each pushed manifest as a version of the fake GitHub package, so the two always agree.
/// </summary>
public sealed class TestRepository(RegistryClient client, FakeGitHubPackagesApi api, string owner, string package)
{
    /// <summary>The repository path in the registry (<c>owner/package</c>).</summary>
    public string Repository { get; } = $"{owner}/{package}";

    /// <summary>Every manifest pushed, by digest, with its kind for assertions.</summary>
    public Dictionary<string, string> Pushed { get; } = new(StringComparer.Ordinal);

    /// <summary>Pushes a single-platform image (or, with <paramref name="subject"/>, a referrer such as a signature); unlisted.</summary>
    public async Task<Descriptor> PushImageAsync(string kind, Platform? platform = null, Descriptor? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null, string? artifactType = null)
    {
        var layer = await client.PushBlobAsync(Repository, RandomNumberGenerator.GetBytes(64), MediaTypes.OciLayer);
        var config = await client.PushBlobAsync(Repository,
            ImageConfig.Create(platform ?? Platform.Unknown, [layer.Digest]), MediaTypes.OciConfig);
        var manifest = new ImageManifest(MediaTypes.OciManifest, config, [layer])
        {
            Subject = subject,
            ArtifactType = artifactType,
            Annotations = annotations,
        };
        return await PutAsync(kind, ManifestDocument.FromBytes(manifest.ToJson(), MediaTypes.OciManifest), platform);
    }

    /// <summary>Pushes an index over <paramref name="children"/>, under <paramref name="tag"/> when given; unlisted.</summary>
    public async Task<Descriptor> PushIndexAsync(string kind, IReadOnlyList<Descriptor> children, string? tag = null,
        Descriptor? subject = null)
    {
        var index = new ImageIndex(MediaTypes.OciIndex, children) { Subject = subject };
        return await PutAsync(kind, ManifestDocument.FromBytes(index.ToJson(), MediaTypes.OciIndex), null, tag);
    }

    /// <summary>
    /// Pushes a tagged multi-arch index with one attestation manifest per image (what buildx pushes, through
    /// <see cref="TestImages"/>); returns the index and its children.
    /// </summary>
    public async Task<(Descriptor Index, IReadOnlyList<Descriptor> Children)> PushMultiArchAsync(string tag, int seed,
        params Platform[] platforms)
    {
        var index = await TestImages.PushIndexWithAttestationsAsync(client, Repository, platforms, tag, seed);
        var children = index.AsIndex().Manifests;
        Pushed[index.Digest.ToString()] = $"index {tag}";
        foreach (var child in children) Pushed[child.Digest.ToString()] = $"child of {tag}";
        return (index.ToDescriptor(), children);
    }

    /// <summary>Adds a tag in the registry to a manifest already pushed.</summary>
    public async Task TagAsync(Descriptor manifest, string tag) =>
        await client.PutManifestAsync(Repository, tag, await client.GetManifestAsync(Repository, manifest.Digest.ToString()));

    /// <summary>Lists a pushed manifest as a package version, with its tags and age.</summary>
    public FakePackageVersion List(Descriptor manifest, TimeSpan age, params string[] tags) =>
        api.AddVersion(owner, package, manifest.Digest.ToString(), DateTimeOffset.UtcNow - age, tags);

    /// <summary>True when the registry still serves the manifest (by digest).</summary>
    public async Task<bool> ExistsAsync(string digest) => await client.HeadManifestAsync(Repository, digest) is not null;

    async Task<Descriptor> PutAsync(string kind, ManifestDocument document, Platform? platform, string? tag = null)
    {
        await client.PutManifestAsync(Repository, tag ?? document.Digest.ToString(), document);
        Pushed[document.Digest.ToString()] = kind;
        return document.ToDescriptor(platform);
    }
}

using System.Security.Cryptography;
using System.Text;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Oci.Mirroring;
using MultiArch.Oci.Tagging;

namespace MultiArch.Components;

/// <summary>
/// Where an image is published and under which names: the registry host, the repository, the per-arch, partial and
/// base tags. Pure (no registry, no Docker, no git), so what decides where a release lands is tested without services;
/// every target and the merge's stale-record check ask this one class.
/// </summary>
public sealed class PipelineNaming
{
    /// <summary>GitHub's container registry, the host whose defaults come from the Actions environment.</summary>
    public const string GhcrHost = "ghcr.io";

    readonly Lazy<ImageVersion> _version;
    readonly Lazy<(string Image, string Path)?> _moved;

    /// <summary>Names for <paramref name="version"/>; <paramref name="registry"/> is --registry, <paramref name="moved"/> the one image
    /// --repository publishes elsewhere.</summary>
    public PipelineNaming(ImageVersion version, Oci.RegistryHost? registry = null, (string Image, string Path)? moved = null)
        : this(() => version, registry, () => moved) { }

    /// <summary>
    /// The same, with the version and the moved image computed on first use: a question about the registry alone must
    /// not fail on a git tag that is no version, or on an --image that selects two images.
    /// </summary>
    public PipelineNaming(Func<ImageVersion> version, Oci.RegistryHost? registry, Func<(string Image, string Path)?> moved)
    {
        _version = new Lazy<ImageVersion>(version);
        _moved = new Lazy<(string Image, string Path)?>(moved);
        Registry = registry;
    }

    /// <summary>The version the tags are made of.</summary>
    public ImageVersion Version => _version.Value;

    /// <summary>The build's tag rules; <see cref="Oci.Tagging.Tags.Default"/> gives the version, its floating tags and sha-.</summary>
    public Tags Tags { get; init; } = Tags.Default;

    /// <summary>
    /// The index's tags for this run: <see cref="Tags"/> for <paramref name="context"/> with this run's version, then
    /// the extra tags. Per-arch, partial and base tags never come from the rules: the merge and its records need them fixed.
    /// </summary>
    public IReadOnlyList<string> ReleaseTags(TagContext context, IEnumerable<string> extraTags) =>
        Tags.For(context with { Version = Version }, extraTags);

    /// <summary>--registry, when given.</summary>
    public Oci.RegistryHost? Registry { get; }

    /// <summary>
    /// --registries: every registry each image is published to. The first gets the per-arch pushes and the merge;
    /// the others get the index by mirroring. Empty: the one registry of <see cref="RegistryHost"/>.
    /// </summary>
    public IReadOnlyList<PublishRegistry> Registries { get; init; } = [];

    /// <summary>The registry host of an image: the first of --registries, else --registry, else the host in its repository, else
    /// 127.0.0.1:5000.</summary>
    public string RegistryHost(ImageDefinition image) =>
        Registries is [var first, ..] ? first.Host.Value : Registry?.Value ?? HostOf(image.Repository) ?? LocalRegistry.DefaultHost;

    /// <summary>The image's repository (no tag) in the registry this run publishes to; --repository moves the one selected image.</summary>
    public ImageReference RepositoryOf(ImageDefinition image) =>
        Registries is [var first, ..] ? RepositoryIn(first, image) : ImageReference.Create(RegistryHost(image), PathIn(image));

    /// <summary>The image's repository in each registry after the first of --registries, where MergeManifest mirrors the index.</summary>
    public IReadOnlyList<ImageReference> MirrorsOf(ImageDefinition image) => Registries.Skip(1).Select(r =>
        RepositoryIn(r, image)).ToList();

    ImageReference RepositoryIn(PublishRegistry registry, ImageDefinition image) =>
        ImageReference.Create(registry.Host.Value, _moved.Value is { } moved && moved.Image == image.Name ? moved.Path
            : registry.RepositoryFor(image.Name, PathOf(image.Repository)));

    string PathIn(ImageDefinition image) => _moved.Value is { } moved && moved.Image == image.Name ? moved.Path : PathOf(image.Repository);

    /// <summary>The per-arch tag, e.g. <c>1.2.3-arm64</c>: what PushArch pushes and the merge's records must carry.</summary>
    public string ArchTag(Platform platform) => $"{Version.Text}-{platform.Pair}";

    /// <summary>The per-arch tag reference, e.g. <c>127.0.0.1:5000/acme/app:1.2.3-arm64</c>.</summary>
    public ImageReference ArchReference(ImageDefinition image, Platform platform) => RepositoryOf(image).WithTag(ArchTag(platform));

    /// <summary>The tag of a deliberate partial publish: <c>1.4.0-partial-amd64_arm64</c>, never a release's tag.</summary>
    public string PartialTag(IEnumerable<Platform> platforms) =>
        $"{Version.Text}-partial-{string.Join("_", platforms.Select(p => p.Pair))}";

    /// <summary>
    /// The local tag of the base stage: unique per platform, revision and run, so parallel runs never collide.
    /// A long version is cut and kept unique by a hash of the whole tag (internal, so never the user's problem).
    /// </summary>
    public string BaseTag(ImageDefinition image, Platform platform, string? revision, string runId)
    {
        var tag = $"{Version.Text}-{platform.Pair}-{(revision is { Length: >= 7 } r ? r[..7] : "norev")}-{runId}";
        if (tag.Length > 128) tag = tag[..100] + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tag)))[..16];
        return $"{RepositoryOf(image).Name}-base:{tag}";
    }

    /// <summary>
    /// The first record that names another version's per-arch tag (left in the folder by an earlier run): merging it
    /// would slip that version's image into this index. Null when every record is this version's.
    /// </summary>
    public DigestRecord? StaleRecord(IEnumerable<DigestRecord> records) =>
        records.FirstOrDefault(r => r.Tag is { } tag && r.Platform is { } platform && tag != ArchTag(platform));

    /// <summary>Whether an image is published to GitHub's container registry (whose credentials default to GITHUB_ACTOR and
    /// GITHUB_TOKEN).</summary>
    public bool PublishesToGhcr(ImageDefinition image) => IsGhcr(RegistryHost(image));

    /// <summary>Whether a host is GitHub's container registry.</summary>
    public static bool IsGhcr(string host) => host.Equals(GhcrHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of a repository without its host: <c>ghcr.io/acme/app</c> gives <c>acme/app</c>.</summary>
    public static string PathOf(string repository) => HostOf(repository) is { } host ? repository[(host.Length + 1)..] : repository;

    /// <summary>
    /// The registry host a repository names, or null: Docker's rule, a first segment with a dot or a colon, or
    /// localhost, is a host (<c>ghcr.io/acme/app</c> has one, <c>acme/app</c> has none).
    /// </summary>
    public static string? HostOf(string repository) =>
        repository.IndexOf('/') is var slash and > 0 && repository[..slash] is var first
        && (first.Contains('.') || first.Contains(':') || first.Equals("localhost", StringComparison.OrdinalIgnoreCase)) ? first : null;
}

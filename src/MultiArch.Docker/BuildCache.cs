using System.Text.RegularExpressions;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// A BuildKit cache location for <c>--cache-from</c>/<c>--cache-to</c>: a registry reference, or the GitHub Actions
/// cache with one scope per image and platform, so the legs of a matrix never overwrite each other's cache.
/// </summary>
/// <remarks>
/// The export is <c>mode=max</c> (the intermediate stages are cached too, not only the final image's layers) and
/// <c>ignore-error=true</c> (a full or unreachable cache never fails a build that itself succeeded). That is what
/// docker/github-builder writes: .github/workflows/build.yml at v1.17.0 (commit 58cb9f5), lines 757 and 822-823,
/// <c>type=gha,ignore-error=true,scope=&lt;scope&gt;-&lt;platform pair&gt;,mode=&lt;cache-mode&gt;</c>; its cache-mode input
/// defaults to min, and the issue asks for max.
/// </remarks>
public sealed partial record BuildCache
{
    private BuildCache(string type, string value) => (Type, Value) = (type, value);

    /// <summary><c>registry</c> or <c>gha</c>.</summary>
    public string Type { get; }

    /// <summary>The registry reference, or the GitHub Actions cache scope.</summary>
    public string Value { get; }

    /// <summary>A cache kept as an image in a registry, e.g. <c>ghcr.io/acme/server:buildcache-arm64</c>.</summary>
    public static BuildCache Registry(ImageReference reference) => new("registry", reference.ToString());

    /// <summary>
    /// The registry cache of one image and platform: <c>&lt;repo&gt;:buildcache-&lt;pair&gt;</c>, beside the image it speeds up
    /// (so the same credentials reach it). A base stage gets <c>buildcache-base-&lt;pair&gt;</c>: one ref holds one
    /// cache, and the app's export would otherwise replace the base's.
    /// </summary>
    /// <param name="repository">The image's repository, e.g. <c>ghcr.io/acme/server</c> (a tag or digest on it is dropped).</param>
    /// <param name="platform">The platform built.</param>
    /// <param name="baseStage">The cache of the image's base stage rather than its app stage.</param>
    public static BuildCache Registry(ImageReference repository, Platform platform, bool baseStage = false) =>
        Registry(repository.WithoutTagOrDigest().WithTag($"buildcache-{(baseStage ? "base-" : "")}{platform.Pair}"));

    /// <summary>
    /// The GitHub Actions cache of one image and platform: scope <c>&lt;image&gt;-&lt;pair&gt;</c> (e.g. <c>server-arm-v7</c>),
    /// or <c>&lt;image&gt;-base-&lt;pair&gt;</c> for its base stage. A scope holds one cache, so every leg and stage needs its own.
    /// </summary>
    /// <param name="image">The image's name, e.g. <c>server</c>; characters outside <c>[A-Za-z0-9._-]</c> become <c>-</c>
    /// (a comma would end the buildx attribute).</param>
    /// <param name="platform">The platform built.</param>
    /// <param name="baseStage">The cache of the image's base stage rather than its app stage.</param>
    /// <exception cref="ArgumentException">The image name is empty.</exception>
    public static BuildCache GitHubActions(string image, Platform platform, bool baseStage = false)
    {
        if (string.IsNullOrWhiteSpace(image))
            throw new ArgumentException("A GitHub Actions cache scope needs the image's name.", nameof(image));
        return new("gha", $"{ScopeUnsafe().Replace(image, "-")}-{(baseStage ? "base-" : "")}{platform.Pair}");
    }

    /// <summary>
    /// The buildx value, e.g. <c>type=registry,ref=...</c>; an export adds <c>mode=max,ignore-error=true</c> (see the remarks).
    /// </summary>
    public string ToBuildxValue(bool export) => (Type == "registry" ? $"type=registry,ref={Value}" : $"type=gha,scope={Value}")
        + (export ? ",mode=max,ignore-error=true" : "");

    /// <summary>The buildx form of a cache import.</summary>
    public override string ToString() => ToBuildxValue(export: false);

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex ScopeUnsafe();
}

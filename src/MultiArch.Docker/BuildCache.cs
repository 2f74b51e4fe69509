using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// A BuildKit cache location for <c>--cache-from</c>/<c>--cache-to</c>: a registry reference, or the GitHub Actions
/// cache with one scope per platform so the legs of a matrix do not overwrite each other's cache.
/// </summary>
public sealed record BuildCache
{
    private BuildCache(string type, string value) => (Type, Value) = (type, value);

    /// <summary><c>registry</c> or <c>gha</c>.</summary>
    public string Type { get; }

    /// <summary>The registry reference, or the GitHub Actions cache scope.</summary>
    public string Value { get; }

    /// <summary>A cache kept as an image in a registry, e.g. <c>ghcr.io/acme/server:buildcache-arm64</c>.</summary>
    public static BuildCache Registry(ImageReference reference) => new("registry", reference.ToString());

    /// <summary>The GitHub Actions cache, scoped by the platform pair (e.g. <c>arm-v7</c>).</summary>
    public static BuildCache GitHubActions(Platform platform) => new("gha", platform.Pair);

    /// <summary>
    /// The buildx value, e.g. <c>type=registry,ref=...</c>; when exporting, <c>mode=max</c> so that the
    /// intermediate stages are cached too, not only the final image's layers.
    /// </summary>
    public string ToBuildxValue(bool export) => (Type == "registry" ? $"type=registry,ref={Value}" : $"type=gha,scope={Value}")
        + (export ? ",mode=max" : "");

    /// <summary>The buildx form of a cache import.</summary>
    public override string ToString() => ToBuildxValue(export: false);
}

using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// Where image builds keep their layer cache, as given to <c>--cache</c>: <c>none</c>, <c>gha</c> (the GitHub Actions
/// cache, scope per image and platform) or <c>registry</c> (<c>&lt;repo&gt;:buildcache-&lt;pair&gt;</c>). Parsed once; both
/// caches need buildx, since the classic <c>docker build</c> cannot export one.
/// </summary>
public sealed record LayerCacheMode
{
    private LayerCacheMode(string name) => Name = name;

    /// <summary>No layer cache (the default outside generated workflows).</summary>
    public static LayerCacheMode None { get; } = new("none");

    /// <summary>The GitHub Actions cache (<c>type=gha</c>): needs the Actions runtime token in the environment.</summary>
    public static LayerCacheMode GitHubActions { get; } = new("gha");

    /// <summary>A cache image in the target registry (<c>type=registry</c>), for local runs and other CI.</summary>
    public static LayerCacheMode Registry { get; } = new("registry");

    /// <summary><c>none</c>, <c>gha</c> or <c>registry</c>, as written on the command line.</summary>
    public string Name { get; }

    /// <summary>Parses <c>none</c>, <c>gha</c> or <c>registry</c> (any case).</summary>
    /// <exception cref="DockerInputException">Any other text: one line naming the values to use.</exception>
    public static LayerCacheMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => None,
        "gha" => GitHubActions,
        "registry" => Registry,
        _ => throw new DockerInputException(
            $"'{text}' is not a layer cache; use none, gha (the GitHub Actions cache, in workflows) " +
            "or registry (<repo>:buildcache-<platform> in the target registry)."),
    };

    /// <summary>The cache of one image's stage on one platform, or null for <see cref="None"/>.</summary>
    /// <param name="repository">The image's repository (the registry cache lives beside it).</param>
    /// <param name="image">The image's name (the GitHub Actions scope starts with it).</param>
    /// <param name="platform">The platform built.</param>
    /// <param name="baseStage">The base stage rather than the app stage: each has its own cache.</param>
    public BuildCache? For(ImageReference repository, string image, Platform platform, bool baseStage) =>
        this == GitHubActions ? BuildCache.GitHubActions(image, platform, baseStage)
        : this == Registry ? BuildCache.Registry(repository, platform, baseStage)
        : null;

    /// <summary>The name, as <c>--cache</c> takes it.</summary>
    public override string ToString() => Name;
}

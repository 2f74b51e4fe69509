using MultiArch.Build;
using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// One multi-arch image: where its Dockerfiles are and which platforms it has. A build declares one
/// (<see cref="IMultiArchPipeline.Image"/>) or several (<see cref="IMultiArchPipeline.Images"/>).
/// </summary>
/// <param name="Repository">The image without a tag: <c>ghcr.io/acme/server</c>, or <c>acme/server</c> for the
/// registry given by <c>--registry</c> (default 127.0.0.1:5000).</param>
public sealed record ImageDefinition(string Repository)
{
    /// <summary>The short name used in logs, the CI matrix and the digests folder; default: the repository's last segment.</summary>
    public string Name { get; init; } = Repository.Split('/')[^1];

    /// <summary>The app Dockerfile (required).</summary>
    public AbsolutePath? Dockerfile { get; init; }

    /// <summary>The build context; default: the app Dockerfile's folder.</summary>
    public AbsolutePath? Context { get; init; }

    /// <summary>The base stage's Dockerfile; when null, BuildBase is skipped for this image.</summary>
    public AbsolutePath? BaseDockerfile { get; init; }

    /// <summary>The build argument through which the app Dockerfile receives the base image's tag.</summary>
    public string BaseTagArgument { get; init; } = "BASE_TAG";

    /// <summary>The platforms; null means the <c>--platform</c> parameter (default linux/amd64 and linux/arm64).</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    /// <summary>Build arguments for the app stage.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Build arguments for the base stage.</summary>
    public IReadOnlyDictionary<string, string> BaseBuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra labels for the app image (the <c>org.opencontainers.image.*</c> ones are added for you).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Shown on GHCR: <c>org.opencontainers.image.title</c>; default: <see cref="Name"/>.</summary>
    public string? Title { get; init; }

    /// <summary><c>org.opencontainers.image.description</c>.</summary>
    public string? Description { get; init; }

    /// <summary><c>org.opencontainers.image.licenses</c> (an SPDX expression).</summary>
    public string? Licenses { get; init; }

    /// <summary>The build context that is used.</summary>
    public AbsolutePath EffectiveContext => Context ?? Dockerfile?.Parent
        ?? throw new BuildException($"Image '{Name}' has no Dockerfile. Set Dockerfile = RootDirectory / \"path\" / \"Dockerfile\" "
            + "in its ImageDefinition.");
}
